import { isUnknown, type BlockSchema, type Diagnostic, type ObjectValue, type Value } from "../plugin/types";
import { describeMalformedId, isWellFormedSecurityGroupId, quoteId } from "../../membership/ids";
import { resolveEndpoint } from "../../ecs/endpoint";
import { connectionSettings } from "../../ecs/settings";
import { DEFAULT_RETRY_POLICY } from "../../ecs/retry";
import type { EcsClientConfig } from "../../ecs/types";
import { DEFAULT_READ_TIMEOUT, parseDuration } from "./timeouts";

/** ECS's default per-instance group limit (raisable by quota). */
export const DEFAULT_MAX_SECURITY_GROUPS = 5;
export const DEFAULT_MAX_RETRIES = 5;
/** More would only hide a persistent fault: the deadlines bound the waiting anyway. */
export const MAX_MAX_RETRIES = 100;
/** No ECS quota is this large; a bigger number is a typo. */
export const MAX_SECURITY_GROUPS_LIMIT = 1000;
/**
 * Env var scaling every backoff delay (a number in (0, 1], default 1). For
 * tests against the emulator: a throttle window scaled by the same factor
 * keeps the arithmetic of the defaults without the wait.
 */
export const RETRY_SCALE_ENV = "ALISG_RETRY_SCALE";
/** Env fallback of `protected_security_group_ids`: group IDs separated by commas. */
export const PROTECTED_GROUPS_ENV = "ALISG_PROTECTED_SECURITY_GROUP_IDS";

/** The `provider "alisg"` block. Every attribute is optional and falls back to the environment. */
export const providerSchema: BlockSchema = {
  description: "Guarded ECS security-group attachments. Every attribute falls back to the environment.",
  attributes: [
    {
      name: "region",
      type: "string",
      optional: true,
      description: "Region ID; env ALIBABA_CLOUD_REGION_ID, ALIBABA_CLOUD_REGION, ALICLOUD_REGION.",
    },
    {
      name: "access_key",
      type: "string",
      optional: true,
      description: "AccessKey ID; env ALIBABA_CLOUD_ACCESS_KEY_ID, ALICLOUD_ACCESS_KEY.",
    },
    {
      name: "secret_key",
      type: "string",
      optional: true,
      sensitive: true,
      description: "AccessKey secret; env ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALICLOUD_SECRET_KEY.",
    },
    {
      name: "security_token",
      type: "string",
      optional: true,
      sensitive: true,
      description: "STS token; env ALIBABA_CLOUD_SECURITY_TOKEN, ALICLOUD_SECURITY_TOKEN.",
    },
    {
      name: "profile",
      type: "string",
      optional: true,
      description:
        "Credential profile; env ALIBABA_CLOUD_PROFILE. Without keys, the standard credential chain.",
    },
    {
      name: "endpoint",
      type: "string",
      optional: true,
      description:
        "Full ECS endpoint URL, e.g. http://127.0.0.1:4599 for the emulator; env ALIBABA_CLOUD_ECS_ENDPOINT.",
    },
    {
      name: "max_retries",
      type: "number",
      optional: true,
      description: `Retries of one API call after server errors, conflicts and network faults (0 to ${MAX_MAX_RETRIES}; default ${DEFAULT_MAX_RETRIES}). Throttling does not count: it is waited out until the operation's deadline.`,
    },
    {
      name: "read_timeout",
      type: "string",
      optional: true,
      description: `How long reads and plans wait out retryable errors, a duration such as "90s" or "5m". Default ${DEFAULT_READ_TIMEOUT}.`,
    },
    {
      name: "max_security_groups_per_instance",
      type: "number",
      optional: true,
      description: `Group limit per instance checked at plan time (your ECS quota). Default ${DEFAULT_MAX_SECURITY_GROUPS}.`,
    },
    {
      name: "protected_security_group_ids",
      type: ["list", "string"],
      optional: true,
      description: `Groups no plan may take away from an instance that has them (a deny-all baseline, a bastion or a monitoring group): removals, moves away and authoritative sets that leave them are refused with ProtectedSecurityGroup at plan time and again right before each LeaveSecurityGroup. Joining them is always allowed. Env ${PROTECTED_GROUPS_ENV} (comma-separated) when unset; default none.`,
    },
  ],
};

/** Settings the resources work with once the provider is configured. */
export interface ProviderSettings {
  readonly client: EcsClientConfig;
  readonly maxSecurityGroups: number;
  /** `protected_security_group_ids`, or its environment fallback; empty when neither is set. */
  readonly protectedSecurityGroupIds: readonly string[];
}

function str(v: Value | undefined): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function integerIn(
  v: Value | undefined,
  name: string,
  [min, max]: readonly [number, number],
  fallback: number,
  diags: Diagnostic[],
): number {
  if (typeof v !== "number") return fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    diags.push({
      severity: "error",
      summary: `Invalid ${name}`,
      detail: `${name} must be a whole number from ${min} to ${max}, not ${v}.`,
      attribute: [name],
    });
    return fallback;
  }
  return v;
}

const retriesOf = (block: ObjectValue, diags: Diagnostic[]) =>
  integerIn(block.max_retries, "max_retries", [0, MAX_MAX_RETRIES], DEFAULT_MAX_RETRIES, diags);

const groupLimitOf = (block: ObjectValue, diags: Diagnostic[]) =>
  integerIn(
    block.max_security_groups_per_instance,
    "max_security_groups_per_instance",
    [1, MAX_SECURITY_GROUPS_LIMIT],
    DEFAULT_MAX_SECURITY_GROUPS,
    diags,
  );

/** `read_timeout` in ms (the default when unset), with an error naming it when it is not a duration. */
function readTimeoutOf(block: ObjectValue, diags: Diagnostic[]): number {
  const text = str(block.read_timeout) ?? DEFAULT_READ_TIMEOUT;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    diags.push({
      severity: "error",
      summary: "Invalid read_timeout",
      detail: `${JSON.stringify(text)} is not a positive duration. Use a Terraform duration such as "90s" or "5m".`,
      attribute: ["read_timeout"],
    });
    return parseDuration(DEFAULT_READ_TIMEOUT)!;
  }
  return ms;
}

/**
 * `protected_security_group_ids` when the block sets it (an empty list
 * protects nothing), else the environment's comma-separated list. Every ID
 * must be well formed, and the list known when the provider is configured: a
 * policy known only at apply could not be judged at plan time.
 */
function protectedGroupsOf(
  block: ObjectValue,
  env: NodeJS.ProcessEnv | undefined,
  diags: Diagnostic[],
): string[] {
  const v = block.protected_security_group_ids;
  const attribute = ["protected_security_group_ids"];
  if (isUnknown(v) || (Array.isArray(v) && v.some(isUnknown))) {
    // At validation the value may still come from elsewhere; configuring needs it.
    if (env !== undefined)
      diags.push({
        severity: "error",
        summary: "Unknown protected_security_group_ids",
        detail:
          "protected_security_group_ids must be known when the provider is configured (literal IDs, variables or locals), so that every plan can be judged against it.",
        attribute,
      });
    return [];
  }
  const fromBlock = Array.isArray(v);
  const raw = fromBlock
    ? (v as readonly Value[]).map((x) => (typeof x === "string" ? x : ""))
    : env === undefined
      ? []
      : (env[PROTECTED_GROUPS_ENV] ?? "")
          .split(",")
          .map((x) => x.trim())
          .filter((x) => x !== "");
  const malformed = raw.filter((g) => !isWellFormedSecurityGroupId(g));
  if (malformed.length > 0) {
    const where = fromBlock ? "protected_security_group_ids" : PROTECTED_GROUPS_ENV;
    diags.push({
      severity: "error",
      summary: `Invalid ${where}`,
      detail: `${malformed.map((g) => `${quoteId(g)}: ${describeMalformedId(g)}`).join("; ")}. List security group IDs such as sg-bp1baseline${fromBlock ? "" : ", separated by commas"}.`,
      ...(fromBlock ? { attribute } : {}),
    });
    return [];
  }
  return [...new Set(raw)];
}

/** The backoff scale from the environment (see RETRY_SCALE_ENV). */
function retryScaleOf(env: NodeJS.ProcessEnv, diags: Diagnostic[]): number {
  const raw = env[RETRY_SCALE_ENV];
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 1) {
    diags.push({
      severity: "error",
      summary: `Invalid ${RETRY_SCALE_ENV}`,
      detail: `${RETRY_SCALE_ENV} must be a number greater than 0 and at most 1, not ${JSON.stringify(raw)}.`,
    });
    return 1;
  }
  return n;
}

/**
 * Checks what the block alone can tell, before the environment is known
 * (Terraform's ValidateProviderConfig): numbers and the endpoint's form.
 */
export function validateProviderBlock(block: ObjectValue): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  retriesOf(block, diagnostics);
  groupLimitOf(block, diagnostics);
  readTimeoutOf(block, diagnostics);
  protectedGroupsOf(block, undefined, diagnostics);
  const endpoint = str(block.endpoint);
  if (endpoint !== undefined) diagnostics.push(...endpointDiagnostics(endpoint));
  return diagnostics;
}

/** The endpoint's form, as the ECS client will read it (one rule, in ecs/endpoint). */
function endpointDiagnostics(endpoint: string): Diagnostic[] {
  try {
    resolveEndpoint("cn-hangzhou", endpoint);
    return [];
  } catch (err) {
    return [
      {
        severity: "error",
        summary: "Invalid endpoint",
        detail: err instanceof Error ? err.message : String(err),
        attribute: ["endpoint"],
      },
    ];
  }
}

/**
 * Resolves the provider block against the environment. Unknown values (from
 * other resources) count as unset. Never puts a secret in a diagnostic.
 */
export function resolveProviderConfig(
  block: ObjectValue,
  env: NodeJS.ProcessEnv,
): { settings?: ProviderSettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const {
    region: regionId,
    accessKeyId,
    accessKeySecret,
    securityToken,
    profile,
    endpoint,
  } = connectionSettings(
    {
      region: str(block.region),
      accessKeyId: str(block.access_key),
      accessKeySecret: str(block.secret_key),
      securityToken: str(block.security_token),
      profile: str(block.profile),
      endpoint: str(block.endpoint),
    },
    env,
  );
  if (!regionId) {
    diagnostics.push({
      severity: "error",
      summary: "Missing region",
      detail:
        'Set region in the provider block (region = "cn-hangzhou") or the environment variable ALIBABA_CLOUD_REGION_ID.',
      attribute: ["region"],
    });
  }
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    diagnostics.push({
      severity: "error",
      summary: "Incomplete credentials",
      detail: accessKeyId
        ? "An access key ID is set but no secret: set secret_key or ALIBABA_CLOUD_ACCESS_KEY_SECRET."
        : "A secret is set but no access key ID: set access_key or ALIBABA_CLOUD_ACCESS_KEY_ID.",
      attribute: [accessKeyId ? "secret_key" : "access_key"],
    });
  }
  if (endpoint !== undefined) diagnostics.push(...endpointDiagnostics(endpoint));
  const maxRetries = retriesOf(block, diagnostics);
  const maxSecurityGroups = groupLimitOf(block, diagnostics);
  const defaultTimeoutMs = readTimeoutOf(block, diagnostics);
  const scale = retryScaleOf(env, diagnostics);
  const protectedSecurityGroupIds = protectedGroupsOf(block, env, diagnostics);
  if (diagnostics.some((d) => d.severity === "error") || !regionId) return { diagnostics };
  return {
    diagnostics,
    settings: {
      maxSecurityGroups,
      protectedSecurityGroupIds,
      client: {
        regionId,
        endpoint,
        maxRetries,
        defaultTimeoutMs,
        ...(scale === 1
          ? {}
          : {
              retryBaseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs * scale,
              retryMaxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs * scale,
            }),
        profile,
        credentials:
          accessKeyId && accessKeySecret
            ? { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) }
            : undefined,
      },
    },
  };
}
