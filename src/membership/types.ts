/**
 * Plain data that the safety rules decide on. Nothing here does I/O: the
 * provider, the plan gate and the drift report gather these facts (from the
 * ECS API) and ask `planMembership` what may happen.
 */

/**
 * Codes of refusals; each is the ECS error code the API would answer with,
 * except `ProtectedSecurityGroup`, which is alisg's own (ECS lets any group go
 * as long as one is left; the operator's policy does not).
 */
export type RuleCode =
  | "InstanceLastSecurityGroup"
  | "IncorrectInstanceStatus"
  | "InstanceLockedForSecurity"
  | "InvalidSecurityGroupId.NotFound"
  | "InvalidInstanceId.NotFound"
  | "InvalidInstanceId.Mismatch"
  | "InstanceSecurityGroupLimitExceeded"
  | "InvalidInstanceId.Malformed"
  | "InvalidSecurityGroupId.Malformed"
  | "InvalidOperation.MultiGroupType"
  | "ProtectedSecurityGroup"
  | "IncorrectNetworkInterfaceStatus"
  | "InvalidEniId.NotFound"
  | "InvalidEniId.Malformed";

/** What is true of one instance right now. */
export interface InstanceFacts {
  readonly instanceId: string;
  /** `Pending` | `Running` | `Starting` | `Stopping` | `Stopped` (kept open: the API may add more). */
  readonly status: string;
  /** `LockReason` values of `OperationLocks`, e.g. `security`, `financial`. */
  readonly lockReasons: readonly string[];
  /** VPC of the instance; null for a classic-network instance. */
  readonly vpcId: string | null;
  /** Every group the instance is in, managed by alisg or not. */
  readonly securityGroupIds: readonly string[];
  /** How many groups the instance may be in (ECS default 5). */
  readonly maxSecurityGroups: number;
}

/** What is true of one security group right now. */
export interface GroupFacts {
  readonly securityGroupId: string;
  readonly vpcId: string | null;
  readonly type: "normal" | "enterprise";
}

/** What is true of one elastic network interface (ENI) right now. */
export interface NetworkInterfaceFacts {
  readonly networkInterfaceId: string;
  /** `Primary` | `Secondary`: a primary ENI's groups are its instance's. */
  readonly type: string;
  /** `Available` | `InUse` | `Attaching` | `Detaching` | `Creating` | `Deleting` */
  readonly status: string;
  /** The instance it is attached to; null when detached. */
  readonly instanceId: string | null;
  readonly vpcId: string | null;
  readonly securityGroupIds: readonly string[];
  /** How many groups the ENI may be in (ECS default 5). */
  readonly maxSecurityGroups: number;
}

/** Live facts; an ID absent from a map does not exist. */
export interface Facts {
  readonly instances: ReadonlyMap<string, InstanceFacts>;
  readonly groups: ReadonlyMap<string, GroupFacts>;
  /**
   * ENIs by ID, for changes whose subject is an ENI; `null`: described and
   * does not exist. Absent: not an ENI the caller asked about.
   */
  readonly networkInterfaces?: ReadonlyMap<string, NetworkInterfaceFacts | null>;
}

/**
 * What the operator forbids beyond ECS's own rules: the provider's
 * `protected_security_group_ids` (or `ALISG_PROTECTED_SECURITY_GROUP_IDS`),
 * `--protected-security-group-id` of `alisg check-plan` and `alisg drift`.
 */
export interface Policy {
  /** Groups no change may take away from an instance (or ENI) that has them; joining them is always allowed. */
  readonly protectedSecurityGroupIds: readonly string[];
}

/** No policy: only ECS's rules apply. */
export const NO_POLICY: Policy = { protectedSecurityGroupIds: [] };

/**
 * A requested change to one subject's membership. `instanceId` names the
 * subject: an instance, or an ENI (see `subjects.ts`: a primary ENI is its
 * instance).
 */
export type Change =
  | { readonly kind: "join"; readonly instanceId: string; readonly securityGroupId: string }
  | { readonly kind: "leave"; readonly instanceId: string; readonly securityGroupId: string }
  /** Join `to`, then leave `from` (an in-place move of one attachment). */
  | { readonly kind: "move"; readonly instanceId: string; readonly from: string; readonly to: string };

/** One API call to make. */
export interface Operation {
  readonly action: "join" | "leave";
  readonly instanceId: string;
  readonly securityGroupId: string;
}

/** A change the rules refuse. `summary` begins with `${code}: `. */
export interface Refusal {
  readonly code: RuleCode;
  readonly instanceId: string;
  readonly securityGroupId?: string;
  /** `<code>: <one plain sentence naming the instance and group>` */
  readonly summary: string;
  /** What to do next. */
  readonly detail: string;
}

/** Something worth telling that is not a refusal (e.g. an existing membership adopted). */
export interface Note {
  readonly kind: "already-member" | "not-a-member" | "instance-gone" | "group-gone";
  readonly instanceId: string;
  readonly securityGroupId: string;
  readonly message: string;
}

/** The decision for one instance: either operations (all joins before any leave) or refusals. */
export interface InstancePlan {
  readonly instanceId: string;
  /** Empty when `refusals` is not. */
  readonly operations: readonly Operation[];
  readonly refusals: readonly Refusal[];
  readonly notes: readonly Note[];
}
