/** The ECS API client layer: what the provider, the plan gate and the drift report call. */
export * from "./types";
export { EcsClient, createEcsClient, MAX_IDS_PER_CALL, type EcsClientDeps } from "./client";
export { EcsError, classifyError, redactSecrets, REFUSAL_CODES, CLIENT_CODES } from "./errors";
export { backoffDelay, withRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
export { resolveEndpoint } from "./endpoint";
export { connectionSettings, SETTING_ENV, type SettingName } from "./settings";
export type { RpcTransport } from "./sdk-transport";
