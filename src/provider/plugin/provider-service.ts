import { blockType, decodeJson, decodeObject, encodeMsgpack } from "./cty-msgpack";
import type { ProviderRpc, RpcHandler } from "./provider-rpcs";
import * as wire from "./tfplugin6";
import type { DynamicValue } from "./tfplugin6";
import type { BlockSchema, Diagnostic, ObjectValue, ProviderDefinition } from "./types";

/** Loads the provider definition once, on first use. */
export type DefinitionSource = () => ProviderDefinition | Promise<ProviderDefinition>;

/**
 * The tfplugin6.Provider service as plain functions of bytes, independent of
 * the gRPC transport. Every RPC the definition fails (throws, rejects, or
 * sends values that do not fit the schema) becomes an error diagnostic in that
 * RPC's response: the process never crashes, and only the error's message is
 * shown (never the values involved).
 */
export function providerService(source: DefinitionSource): Record<ProviderRpc, RpcHandler> {
  let loading: Promise<ProviderDefinition> | undefined;
  let loaded: ProviderDefinition | undefined;
  const definition = (): Promise<ProviderDefinition> =>
    (loading ??= Promise.resolve()
      .then(source)
      .then((d) => (loaded = d)));

  const schemaOf = (d: ProviderDefinition, typeName: string): BlockSchema => {
    const s = d.resourceSchemas[typeName];
    if (!s) throw new Error(`this provider has no resource type "${typeName}"`);
    return s;
  };
  const object = (dv: DynamicValue | undefined, schema: BlockSchema): ObjectValue | null =>
    decodeObject(dv?.msgpack, blockType(schema));
  const requireObject = (dv: DynamicValue | undefined, schema: BlockSchema, what: string): ObjectValue => {
    const v = object(dv, schema);
    if (v === null) throw new Error(`Terraform sent no ${what}`);
    return v;
  };
  const state = (v: ObjectValue | null, schema: BlockSchema) => encodeMsgpack(v, blockType(schema));

  /**
   * Wraps a handler: on failure, answers with `onError` built from an error
   * diagnostic. The request is decoded again there so that e.g. Apply can keep
   * the prior state: nothing that exists is forgotten because of a bug.
   */
  const rpc =
    (
      name: string,
      handle: (req: Buffer) => Promise<Buffer>,
      /**
       * The response's diagnostics field number, and optionally a fuller answer (e.g.
       * keeping the state); without one, or if it fails too, the diagnostic alone.
       */
      onError: number | { readonly field: number; readonly answer: (d: Diagnostic, req: Buffer) => Buffer },
    ) =>
    async (req: Buffer): Promise<Buffer> => {
      try {
        return await handle(req);
      } catch (err) {
        const d = failure(name, err);
        const field = typeof onError === "number" ? onError : onError.field;
        try {
          if (typeof onError !== "number") return onError.answer(d, req);
        } catch {
          // e.g. a request that cannot even be decoded: the diagnostic alone, below.
        }
        return wire.encodeDiagnosticsOnly(field, [d]);
      }
    };
  const unsupported = (what: string): Diagnostic => ({
    severity: "error",
    summary: `${what} is not supported by this provider`,
  });

  return {
    GetMetadata: rpc(
      "GetMetadata",
      async () => {
        const d = await definition();
        return wire.encodeGetMetadata({
          resourceTypes: Object.keys(d.resourceSchemas),
          planDestroy: d.planDestroy === true,
        });
      },
      2,
    ),

    GetProviderSchema: rpc(
      "GetProviderSchema",
      async () => {
        const d = await definition();
        return wire.encodeGetProviderSchema({
          provider: d.providerSchema,
          resources: d.resourceSchemas,
          planDestroy: d.planDestroy === true,
        });
      },
      4,
    ),

    ValidateProviderConfig: rpc(
      "ValidateProviderConfig",
      async (req) => {
        const d = await definition();
        const { config } = wire.decodeValidateProviderConfig(req);
        const value = object(config, d.providerSchema) ?? {};
        return wire.encodeDiagnosticsOnly(
          2,
          d.validateProviderConfig ? await d.validateProviderConfig(value) : [],
        );
      },
      2,
    ),

    ValidateResourceConfig: rpc(
      "ValidateResourceConfig",
      async (req) => {
        const d = await definition();
        const { typeName, config } = wire.decodeTypedConfig(req);
        const value = requireObject(config, schemaOf(d, typeName), "configuration");
        return wire.encodeDiagnosticsOnly(
          1,
          d.validateResourceConfig ? await d.validateResourceConfig(typeName, value) : [],
        );
      },
      1,
    ),

    ValidateDataResourceConfig: rpc(
      "ValidateDataResourceConfig",
      async (req) => {
        const { typeName } = wire.decodeTypedConfig(req);
        return wire.encodeDiagnosticsOnly(1, [unsupported(`The data source "${typeName}"`)]);
      },
      1,
    ),

    ReadDataSource: rpc(
      "ReadDataSource",
      async (req) => {
        const { typeName } = wire.decodeTypedConfig(req);
        return wire.encodeDiagnosticsOnly(2, [unsupported(`The data source "${typeName}"`)]);
      },
      2,
    ),

    UpgradeResourceState: rpc(
      "UpgradeResourceState",
      async (req) => {
        const d = await definition();
        const r = wire.decodeUpgradeResourceState(req);
        const schema = schemaOf(d, r.typeName);
        if (r.version > (schema.version ?? 0)) {
          // Reading it against an older schema could silently drop what the newer version stored.
          return wire.encodeDiagnosticsOnly(2, [
            {
              severity: "error",
              summary: `The state of this ${r.typeName} was written by a newer provider version`,
              detail: `It has schema version ${r.version}; this provider knows up to ${schema.version ?? 0}. Use the newer provider.`,
            },
          ]);
        }
        if (!r.rawJson) {
          if (r.hasFlatmap) throw new Error("state in the legacy flatmap format cannot be upgraded");
          return wire.encodeUpgradeResourceState(undefined);
        }
        // Stored state is JSON; re-read it against today's schema (unknown attributes are dropped).
        const value = decodeJson(r.rawJson, blockType(schema));
        return wire.encodeUpgradeResourceState(encodeMsgpack(value, blockType(schema)));
      },
      2,
    ),

    GetResourceIdentitySchemas: rpc("GetResourceIdentitySchemas", async () => wire.EMPTY_MESSAGE, 2),

    ConfigureProvider: rpc(
      "ConfigureProvider",
      async (req) => {
        const d = await definition();
        const r = wire.decodeConfigureProvider(req);
        const value = object(r.config, d.providerSchema) ?? {};
        return wire.encodeDiagnosticsOnly(1, await d.configureProvider(value, r.terraformVersion));
      },
      1,
    ),

    ReadResource: rpc(
      "ReadResource",
      async (req) => {
        const d = await definition();
        const r = wire.decodeReadResource(req);
        const schema = schemaOf(d, r.typeName);
        const currentState = requireObject(r.currentState, schema, "current state");
        const res = await d.readResource({ typeName: r.typeName, currentState, private: r.private });
        return wire.encodeReadResource(
          state(res.newState, schema),
          res.private ?? r.private,
          res.diagnostics,
        );
      },
      {
        field: 2,
        answer: (diag, req) => {
          // Keep the resource as it was: a failed read must not drop it from the state.
          const r = wire.decodeReadResource(req);
          return wire.encodeReadResource(r.currentState?.msgpack, r.private, [diag]);
        },
      },
    ),

    PlanResourceChange: rpc(
      "PlanResourceChange",
      async (req) => {
        const d = await definition();
        const r = wire.decodePlanResourceChange(req);
        const schema = schemaOf(d, r.typeName);
        const res = await d.planResourceChange({
          typeName: r.typeName,
          priorState: object(r.priorState, schema),
          proposedNewState: object(r.proposedNewState, schema),
          config: object(r.config, schema),
          priorPrivate: r.priorPrivate,
        });
        return wire.encodePlanResourceChange(
          state(res.plannedState, schema),
          res.requiresReplace ?? [],
          res.plannedPrivate ?? r.priorPrivate,
          res.diagnostics,
        );
      },
      4,
    ),

    ApplyResourceChange: rpc(
      "ApplyResourceChange",
      async (req) => {
        const d = await definition();
        const r = wire.decodeApplyResourceChange(req);
        const schema = schemaOf(d, r.typeName);
        const res = await d.applyResourceChange({
          typeName: r.typeName,
          priorState: object(r.priorState, schema),
          plannedState: object(r.plannedState, schema),
          config: object(r.config, schema),
          plannedPrivate: r.plannedPrivate,
        });
        return wire.encodeApplyResourceChange(
          state(res.newState, schema),
          res.private ?? r.plannedPrivate,
          res.diagnostics,
        );
      },
      {
        field: 3,
        answer: (diag, req) => {
          // The outcome is unknown: keep what was there before (null on create).
          const r = wire.decodeApplyResourceChange(req);
          return wire.encodeApplyResourceChange(r.priorState?.msgpack ?? NIL, r.plannedPrivate, [diag]);
        },
      },
    ),

    ImportResourceState: rpc(
      "ImportResourceState",
      async (req) => {
        const d = await definition();
        const r = wire.decodeImportResourceState(req);
        schemaOf(d, r.typeName);
        const res = await d.importResourceState({ typeName: r.typeName, id: r.id });
        return wire.encodeImportResourceState(
          res.resources.map((x) => ({
            typeName: x.typeName,
            state: state(x.state, schemaOf(d, x.typeName)),
            private: x.private,
          })),
          res.diagnostics,
        );
      },
      2,
    ),

    MoveResourceState: rpc(
      "MoveResourceState",
      async () => wire.encodeDiagnosticsOnly(2, [unsupported("Moving resource state between types")]),
      2,
    ),
    ValidateEphemeralResourceConfig: noEphemeralResources,
    OpenEphemeralResource: noEphemeralResources,
    RenewEphemeralResource: noEphemeralResources,
    CloseEphemeralResource: noEphemeralResources,

    GetFunctions: async () => wire.EMPTY_MESSAGE,
    CallFunction: async () => wire.encodeCallFunctionError("this provider has no functions"),

    StopProvider: async () => {
      try {
        await loaded?.stop?.();
        return wire.encodeStopProvider(undefined);
      } catch (err) {
        return wire.encodeStopProvider(messageOf(err));
      }
    },
  };
}

/** Every ephemeral-resource RPC answers with `diagnostics = 1`. */
const noEphemeralResources: RpcHandler = async () =>
  wire.encodeDiagnosticsOnly(1, [
    { severity: "error", summary: "Ephemeral resources are not supported by this provider" },
  ]);

/** The msgpack encoding of null. */
const NIL = Buffer.from([0xc0]);

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An error diagnostic for a failure: only the message, never the stack or the values. */
function failure(rpcName: string, err: unknown): Diagnostic {
  return {
    severity: "error",
    summary: messageOf(err) || "unexpected error",
    detail: `The provider failed while handling ${rpcName}.`,
  };
}
