/**
 * The unary RPCs of tfplugin6.Provider this plugin answers. Kept apart from
 * their implementation so the gRPC server can register them before the
 * implementation (and its msgpack codec) is loaded, after the handshake.
 */
export const PROVIDER_RPCS = [
  "GetMetadata",
  "GetProviderSchema",
  "ValidateProviderConfig",
  "ValidateResourceConfig",
  "ValidateDataResourceConfig",
  "UpgradeResourceState",
  "GetResourceIdentitySchemas",
  "ConfigureProvider",
  "ReadResource",
  "PlanResourceChange",
  "ApplyResourceChange",
  "ImportResourceState",
  "MoveResourceState",
  "ReadDataSource",
  "ValidateEphemeralResourceConfig",
  "OpenEphemeralResource",
  "RenewEphemeralResource",
  "CloseEphemeralResource",
  "GetFunctions",
  "CallFunction",
  "StopProvider",
] as const;

export type ProviderRpc = (typeof PROVIDER_RPCS)[number];

/** One unary RPC: protobuf request bytes in, protobuf response bytes out. Never rejects. */
export type RpcHandler = (request: Buffer) => Promise<Buffer>;
