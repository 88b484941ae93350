/**
 * The bench's bare floor: the same start-up as alisg (launcher, code cache,
 * certificate, the socket named in the handshake), then tfplugin6 answered
 * over node:http2 directly, without grpc-js, each answer made from the request
 * with no decoding of values. It plans the proposed state, applies the plan,
 * reads and upgrades state back as they are, and validates nothing.
 *
 * Not a provider anyone should use (no errors, no deadlines, no limits): it
 * only shows what is left of a provider process's cost on Node.js when
 * neither grpc-js nor any provider work is in the way (docs/benchmarks.md).
 */
import { createSecureServer, type ServerHttp2Stream } from "node:http2";
import type { Startup } from "../../src/provider/plugin/serve";
import { bytesField, MessageWriter, readFields } from "../../src/provider/plugin/protobuf-wire";
import {
  encodeGetMetadata,
  encodeGetProviderSchema,
  encodeHealthServing,
} from "../../src/provider/plugin/tfplugin6";
import { createProviderDefinition } from "../../src/provider/resources/provider";

type Answer = (request: Buffer) => Buffer;

const EMPTY = Buffer.alloc(0);
const field = (message: Buffer, n: number) => bytesField(readFields(message), n);
/** A response whose field `to` is the request's field `from`, as it came (absent stays absent). */
const echo =
  (from: number, to: number): Answer =>
  (request) => {
    const value = field(request, from);
    return value ? new MessageWriter().bytes(to, value).finish() : EMPTY;
  };

function answers(): Record<string, Answer> {
  const real = createProviderDefinition({});
  const schema = encodeGetProviderSchema({
    provider: real.providerSchema,
    resources: real.resourceSchemas,
    planDestroy: real.planDestroy === true,
  });
  const metadata = encodeGetMetadata({
    resourceTypes: Object.keys(real.resourceSchemas),
    planDestroy: real.planDestroy === true,
  });
  const health = encodeHealthServing();
  return {
    "/tfplugin6.Provider/GetProviderSchema": () => schema,
    "/tfplugin6.Provider/GetMetadata": () => metadata,
    // PlanResourceChange: proposed_new_state = 3 -> planned_state = 1.
    "/tfplugin6.Provider/PlanResourceChange": echo(3, 1),
    // ApplyResourceChange: planned_state = 3 -> new_state = 1.
    "/tfplugin6.Provider/ApplyResourceChange": echo(3, 1),
    // ReadResource: current_state = 2 -> new_state = 1.
    "/tfplugin6.Provider/ReadResource": echo(2, 1),
    // UpgradeResourceState: raw_state = 3 { json = 1 } -> upgraded_state = 1 { json = 2 }.
    "/tfplugin6.Provider/UpgradeResourceState": (request) => {
      const raw = field(request, 3);
      const json = raw ? field(raw, 1) : undefined;
      return new MessageWriter().message(1, new MessageWriter().bytes(2, json)).finish();
    },
    "/grpc.health.v1.Health/Check": () => health,
  };
}

/** The bundle's entry, as src/provider/main.ts. */
export function start({ listener, tls }: Startup): void {
  if (!tls) throw new Error("the bare floor serves Terraform's automatic mTLS only");
  const byPath = answers();
  const server = createSecureServer({
    key: tls.keyPem,
    cert: tls.certPem,
    ca: tls.clientCaPem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on("stream", (stream: ServerHttp2Stream, headers) => {
    const path = String(headers[":path"]);
    stream.on("error", () => undefined);
    // go-plugin's stdio and broker streams stay open and idle.
    if (path === "/plugin.GRPCStdio/StreamStdio" || path === "/plugin.GRPCBroker/StartStream") {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      return;
    }
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      // One length-prefixed message (5 bytes: compressed flag, length).
      const request = Buffer.concat(chunks).subarray(5);
      const answer = (byPath[path] ?? (() => EMPTY))(request);
      const frame = Buffer.alloc(5 + answer.length);
      frame.writeUInt32BE(answer.length, 1);
      answer.copy(frame, 5);
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(frame);
      if (path === "/plugin.GRPCController/Shutdown") {
        listener.close();
        setTimeout(() => process.exit(0), 250).unref();
        server.close(() => process.exit(0));
      }
    });
  });
  listener.attach((socket) => server.emit("connection", socket));
}
