import type { BlockSchema, Diagnostic, ObjectValue, Value } from "../plugin/types";
import { resolveEndpoint } from "../../ecs/endpoint";
import type { EcsClientConfig } from "../../ecs/types";

/** ECS's default per-instance group limit (raisable by quota). */
export const DEFAULT_MAX_SECURITY_GROUPS = 5;
export const DEFAULT_MAX_RETRIES = 5;

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
      description: `Retries of retryable API errors (throttling, 5xx, conflicts, network). Default ${DEFAULT_MAX_RETRIES}.`,
    },
    {
      name: "max_security_groups_per_instance",
      type: "number",
      optional: true,
      description: `Group limit per instance checked at plan time (your ECS quota). Default ${DEFAULT_MAX_SECURITY_GROUPS}.`,
    },
  ],
};

/** Settings the resources work with once the provider is configured. */
export interface ProviderSettings {
  readonly client: EcsClientConfig;
  readonly maxSecurityGroups: number;
}

function str(v: Value | undefined): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function firstEnv(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const n of names) if (env[n]) return env[n];
  return undefined;
}

function nonNegativeInteger(
  v: Value | undefined,
  name: string,
  fallback: number,
  diags: Diagnostic[],
): number {
  if (typeof v !== "number") return fallback;
  if (!Number.isInteger(v) || v < 0) {
    diags.push({
      severity: "error",
      summary: `Invalid ${name}`,
      detail: `${name} must be a whole number >= 0.`,
      attribute: [name],
    });
    return fallback;
  }
  return v;
}

/**
 * Checks what the block alone can tell, before the environment is known
 * (Terraform's ValidateProviderConfig): numbers and the endpoint's form.
 */
export function validateProviderBlock(block: ObjectValue): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  nonNegativeInteger(block.max_retries, "max_retries", DEFAULT_MAX_RETRIES, diagnostics);
  nonNegativeInteger(
    block.max_security_groups_per_instance,
    "max_security_groups_per_instance",
    DEFAULT_MAX_SECURITY_GROUPS,
    diagnostics,
  );
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
  const regionId =
    str(block.region) ??
    firstEnv(env, ["ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"]);
  if (!regionId) {
    diagnostics.push({
      severity: "error",
      summary: "Missing region",
      detail:
        'Set region in the provider block (region = "cn-hangzhou") or the environment variable ALIBABA_CLOUD_REGION_ID.',
      attribute: ["region"],
    });
  }
  const accessKeyId =
    str(block.access_key) ?? firstEnv(env, ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"]);
  const accessKeySecret =
    str(block.secret_key) ?? firstEnv(env, ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"]);
  const securityToken =
    str(block.security_token) ?? firstEnv(env, ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"]);
  const profile = str(block.profile) ?? firstEnv(env, ["ALIBABA_CLOUD_PROFILE"]);
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
  const endpoint = str(block.endpoint) ?? firstEnv(env, ["ALIBABA_CLOUD_ECS_ENDPOINT"]);
  if (endpoint !== undefined) diagnostics.push(...endpointDiagnostics(endpoint));
  const maxRetries = nonNegativeInteger(block.max_retries, "max_retries", DEFAULT_MAX_RETRIES, diagnostics);
  const maxSecurityGroups = nonNegativeInteger(
    block.max_security_groups_per_instance,
    "max_security_groups_per_instance",
    DEFAULT_MAX_SECURITY_GROUPS,
    diagnostics,
  );
  if (diagnostics.some((d) => d.severity === "error") || !regionId) return { diagnostics };
  return {
    diagnostics,
    settings: {
      maxSecurityGroups,
      client: {
        regionId,
        endpoint,
        maxRetries,
        profile,
        credentials:
          accessKeyId && accessKeySecret
            ? { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) }
            : undefined,
      },
    },
  };
}
