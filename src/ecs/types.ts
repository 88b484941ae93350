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

/** An elastic network interface (ENI), as DescribeNetworkInterfaces reports it. */
export interface EcsNetworkInterface {
  readonly networkInterfaceId: string;
  /** `Primary` | `Secondary` (kept open: the API may add more). */
  readonly type: string;
  /** `Available` | `InUse` | `Attaching` | `Detaching` | `Creating` | `Deleting` */
  readonly status: string;
  /** The instance it is attached to; null when detached. */
  readonly instanceId: string | null;
  readonly vpcId: string | null;
  readonly securityGroupIds: readonly string[];
}

/**
 * What a Join/Leave names: an instance (`InstanceId`) or an ENI
 * (`NetworkInterfaceId`, with `RegionId`). Never both in one call.
 */
export type MemberKind = "instance" | "networkInterface";

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
  /**
   * Retries of one call after errors other than throttling (5xx, conflicts,
   * network faults). Throttling is waited out until the call's deadline
   * without counting against it. @default 5
   */
  readonly maxRetries?: number;
  /** @default "ACS3-HMAC-SHA256" ("v2" = HMAC-SHA1 signature v1 query signing in the SDK's naming) */
  readonly signatureAlgorithm?: "ACS3-HMAC-SHA256" | "v2";
  /** First backoff delay. @default 200 */
  readonly retryBaseDelayMs?: number;
  /** Backoff cap. @default 20000 (ECS blocks a throttled caller until the next minute) */
  readonly retryMaxDelayMs?: number;
  /** HTTP: how long to wait for a response once connected. @default 10000 */
  readonly readTimeoutMs?: number;
  /** HTTP: how long making the connection may take (on top of readTimeoutMs; see sdk-transport). @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * The deadline of calls made without one (reads and plans: the provider's
   * `read_timeout`). @default 300000
   */
  readonly defaultTimeoutMs?: number;
  /** `MaxResults` of each Describe page (1..100). @default 100 */
  readonly pageSize?: number;
  /** Aborting it stops waiting and retrying at once (e.g. when Terraform stops the provider). */
  readonly signal?: AbortSignal;
}

/** When a call (with its retries) must be over, and how to name that limit in an error. */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** e.g. `timeouts.delete = "3s"`: said in the error when the deadline is reached. */
  readonly description: string;
}

/** Per-call options: the operation's deadline (default: the client's `defaultTimeoutMs`). */
export interface CallOptions {
  readonly deadline?: Deadline;
}

/** Options of a join or leave: the deadline, and what the ID names. */
export interface MutationOptions extends CallOptions {
  /** @default "instance" */
  readonly member?: MemberKind;
}

/** Result of a join or leave that did not throw. */
export interface MutationResult {
  readonly requestId: string | null;
  /** true when the API said it was already so (already a member / not a member / gone). */
  readonly alreadyDone: boolean;
  /** Number of HTTP attempts made. */
  readonly attempts: number;
}

/**
 * `forbidden`: a RAM refusal (`Forbidden.RAM`), never retried and never read as "gone";
 * `unreachable`: the endpoint could not be reached or did not answer (see EcsClient).
 */
export type EcsErrorCategory =
  "retryable" | "already-done" | "refusal" | "forbidden" | "unreachable" | "other";

/** One `Tag.N` filter of DescribeInstances: the instance has the key and, when given, that value. */
export interface TagFilter {
  readonly key: string;
  /** undefined: any value of the key. */
  readonly value?: string;
}

/** ECS takes at most this many `Tag.N` filters in one DescribeInstances call. */
export const MAX_TAG_FILTERS = 20;

/**
 * What DescribeInstances is asked to match; every filter given must match
 * (ECS ANDs them). `securityGroupId` is one group, as the API takes it.
 */
export interface InstanceFilter {
  /** Only these instances (batched by 100); an empty list matches nothing. */
  readonly instanceIds?: readonly string[];
  readonly vpcId?: string;
  readonly securityGroupId?: string;
  /** At most {@link MAX_TAG_FILTERS}. */
  readonly tags?: readonly TagFilter[];
}

/** Finding instances by filters rather than by ID alone (what `alisg adopt` selects with). */
export interface EcsInstanceSearch {
  /**
   * Every instance matching the filter, in the API's order, each once: paged
   * with MaxResults / NextToken, IDs batched by 100. Costs
   * `max(1, ceil(matches / 100))` DescribeInstances calls without IDs, and
   * one call per 100 IDs with them (plus a page per 100 more matches).
   */
  findInstances(filter: InstanceFilter): Promise<EcsInstance[]>;
}

/** The operations alisg needs from ECS. */
export interface EcsApi {
  /** Instances by ID (batched by 100, paged); IDs that do not exist are absent from the map. */
  describeInstances(instanceIds: readonly string[]): Promise<Map<string, EcsInstance>>;
  /** Groups by ID; IDs that do not exist are absent from the map. */
  describeSecurityGroups(securityGroupIds: readonly string[]): Promise<Map<string, EcsSecurityGroup>>;
  /** ENIs by ID (batched by 100, paged); IDs that do not exist are absent from the map. */
  describeNetworkInterfaces(
    networkInterfaceIds: readonly string[],
  ): Promise<Map<string, EcsNetworkInterface>>;
  /** Joins `memberId` (an instance, or an ENI with `options.member`) to the group. */
  joinSecurityGroup(
    memberId: string,
    securityGroupId: string,
    options?: MutationOptions,
  ): Promise<MutationResult>;
  leaveSecurityGroup(
    memberId: string,
    securityGroupId: string,
    options?: MutationOptions,
  ): Promise<MutationResult>;
}
