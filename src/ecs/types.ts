/** Shapes the ECS client returns and accepts (already mapped from the API's JSON). */

export interface EcsInstance {
  readonly instanceId: string;
  readonly regionId: string;
  /** `Pending` | `Running` | `Starting` | `Stopping` | `Stopped` */
  readonly status: string;
  /** VPC ID, or null for classic network. */
  readonly vpcId: string | null;
  readonly securityGroupIds: readonly string[];
  /** `LockReason` values from `OperationLocks`. */
  readonly lockReasons: readonly string[];
}

export interface EcsSecurityGroup {
  readonly securityGroupId: string;
  readonly vpcId: string | null;
  readonly type: "normal" | "enterprise";
  readonly name: string;
}

/** Static credentials; when absent the client uses a profile or the standard credential chain. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface EcsClientConfig {
  readonly regionId: string;
  /** Full URL, e.g. `http://127.0.0.1:4599`; default `https://ecs.<region>.aliyuncs.com`. */
  readonly endpoint?: string;
  readonly credentials?: StaticCredentials;
  /** A named profile of the standard credential chain (`~/.aliyun/config.json`). */
  readonly profile?: string;
  /** Retries of retryable errors only. @default 5 */
  readonly maxRetries?: number;
  /** @default "ACS3-HMAC-SHA256" ("v2" = HMAC-SHA1 signature v1 query signing in the SDK's naming) */
  readonly signatureAlgorithm?: "ACS3-HMAC-SHA256" | "v2";
  /** First backoff delay. @default 200 */
  readonly retryBaseDelayMs?: number;
  /** Backoff cap. @default 5000 */
  readonly retryMaxDelayMs?: number;
  /** @default 10000 */
  readonly readTimeoutMs?: number;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  /** `MaxResults` of each Describe page (1..100). @default 100 */
  readonly pageSize?: number;
  /** Aborting it stops waiting and retrying at once (e.g. when Terraform stops the provider). */
  readonly signal?: AbortSignal;
}

/** Result of a join or leave that did not throw. */
export interface MutationResult {
  readonly requestId: string | null;
  /** true when the API said it was already so (already a member / not a member / gone). */
  readonly alreadyDone: boolean;
  /** Number of HTTP attempts made. */
  readonly attempts: number;
}

export type EcsErrorCategory = "retryable" | "already-done" | "refusal" | "other";

/** The operations alisg needs from ECS. */
export interface EcsApi {
  /** Instances by ID (batched by 100, paged); IDs that do not exist are absent from the map. */
  describeInstances(instanceIds: readonly string[]): Promise<Map<string, EcsInstance>>;
  /** Groups by ID; IDs that do not exist are absent from the map. */
  describeSecurityGroups(securityGroupIds: readonly string[]): Promise<Map<string, EcsSecurityGroup>>;
  joinSecurityGroup(instanceId: string, securityGroupId: string): Promise<MutationResult>;
  leaveSecurityGroup(instanceId: string, securityGroupId: string): Promise<MutationResult>;
}
