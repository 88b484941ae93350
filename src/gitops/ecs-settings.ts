import { connectionSettings, resolveEndpoint, type EcsClientConfig } from "../ecs";
import { GitopsInputError } from "./input-error";

/** What the GitOps commands take on the command line; everything else comes from the environment. */
export interface EcsOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly profile?: string;
}

/**
 * The ECS client settings of `alisg check-plan` / `alisg drift`: the options,
 * else the environment variables the provider reads (DESIGN.md, "Provider
 * configuration"), in the same order of precedence. Without keys, the client
 * uses the profile or the standard credential chain. Throws a
 * `GitopsInputError` that says what to set; never echoes a secret.
 */
export function ecsSettings(options: EcsOptions, env: NodeJS.ProcessEnv): EcsClientConfig {
  const {
    region: regionId,
    accessKeyId,
    accessKeySecret,
    securityToken,
    profile,
    endpoint,
  } = connectionSettings(options, env);
  if (!regionId) {
    throw new GitopsInputError(
      "Missing region: give --region, or set ALIBABA_CLOUD_REGION_ID (or ALIBABA_CLOUD_REGION, ALICLOUD_REGION)",
    );
  }
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    throw new GitopsInputError(
      accessKeyId
        ? "Incomplete credentials: an access key ID is set but no secret: set ALIBABA_CLOUD_ACCESS_KEY_SECRET"
        : "Incomplete credentials: a secret is set but no access key ID: set ALIBABA_CLOUD_ACCESS_KEY_ID",
    );
  }
  if (endpoint !== undefined) {
    try {
      resolveEndpoint(regionId, endpoint);
    } catch (err) {
      throw new GitopsInputError(err instanceof Error ? err.message : String(err));
    }
  }
  return {
    regionId,
    ...(endpoint ? { endpoint } : {}),
    ...(profile ? { profile } : {}),
    ...(accessKeyId && accessKeySecret
      ? { credentials: { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) } }
      : {}),
  };
}
