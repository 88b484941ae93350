import * as grpc from "@grpc/grpc-js";
import type { TerraformListener } from "./listener";
import * as wire from "./tfplugin6";
import type { RpcHandler } from "./provider-rpcs";

/** Terraform (and terraform-plugin-go) allow 256 MiB messages; the gRPC default is 4 MiB. */
const MAX_MESSAGE_BYTES = 256 << 20;

/** TLS material for automatic mTLS; absent: plaintext. */
export interface ServerTls {
  /** PEM of the client certificate Terraform sent (PLUGIN_CLIENT_CERT): the only trusted CA. */
  readonly clientCaPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface PluginServerOptions {
  /** tfplugin6.Provider RPCs by method name. */
  readonly provider: Readonly<Record<string, RpcHandler>>;
  /** go-plugin's GRPCController/Shutdown: called after the answer is on its way. */
  readonly onShutdown: () => void;
  readonly tls?: ServerTls;
}

const identity = (b: Buffer): Buffer => b;

function method(
  path: string,
  requestStream: boolean,
  responseStream: boolean,
): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream,
    responseStream,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

/** A unary gRPC handler around a bytes-in, bytes-out function that never rejects. */
function unary(handler: RpcHandler): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    handler(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => callback({ code: grpc.status.INTERNAL, details: String(err) }),
    );
  };
}

/**
 * A gRPC server with the provider and the go-plugin side services:
 * GRPCController (Shutdown), GRPCStdio (an idle stream: our output goes to
 * the process's own stdout/stderr), GRPCBroker (unused) and health, taking
 * the connections of `listener` (which was bound, and named in the
 * handshake, before this module was even loaded).
 */
export function startPluginServer(listener: TerraformListener, options: PluginServerOptions): grpc.Server {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    // Channelz (gRPC's introspection service, never served here) counts every call: measured
    // as part of each RPC's cost in a 1000-resource plan (docs/benchmarks.md).
    "grpc.enable_channelz": 0,
  });

  const providerDef: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
  const providerImpl: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(options.provider)) {
    providerDef[name] = method(`/tfplugin6.Provider/${name}`, false, false);
    providerImpl[name] = unary(handler);
  }
  server.addService(providerDef, providerImpl);

  server.addService(
    { Shutdown: method("/plugin.GRPCController/Shutdown", false, false) },
    {
      Shutdown: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        callback(null, wire.EMPTY_MESSAGE);
        options.onShutdown();
      },
    },
  );
  server.addService(
    { StreamStdio: method("/plugin.GRPCStdio/StreamStdio", false, true) },
    {
      // Stays open and idle until Terraform goes away.
      StreamStdio: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
        call.on("error", () => undefined);
      },
    },
  );
  server.addService(
    { StartStream: method("/plugin.GRPCBroker/StartStream", true, true) },
    {
      StartStream: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
        call.on("data", () => undefined);
        call.on("error", () => undefined);
        call.on("end", () => call.end());
      },
    },
  );
  server.addService(
    { Check: method("/grpc.health.v1.Health/Check", false, false) },
    {
      Check: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
        callback(null, wire.encodeHealthServing()),
    },
  );

  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(options.tls.clientCaPem),
        [{ private_key: Buffer.from(options.tls.keyPem), cert_chain: Buffer.from(options.tls.certPem) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();

  const injector = server.createConnectionInjector(credentials);
  listener.attach((socket) => injector.injectConnection(socket));
  return server;
}
