/**
 * The input and output of the whole-plan model (`judgePlan`): every change a
 * Terraform plan makes to resources that decide security-group membership,
 * and what may happen when Terraform applies them in any order it picks.
 *
 * The provider feeds it one resource at a time (a ledger of the changes
 * planned so far in its process); `alisg check-plan` feeds it whole plans read
 * from `terraform show -json`. Both get the same answer for the same changes.
 */

/** Resource types whose changes decide an instance's (or an ENI's) groups. */
export type ResourceKind =
  | "alisg_attachment"
  | "alisg_instance_security_groups"
  | "alisg_network_interface_attachment"
  | "alisg_network_interface_security_groups"
  | "alicloud_instance"
  | "alicloud_ecs_network_interface";

/** The alicloud provider's resources whose list of groups is the subject's complete list (check-plan's input). */
export type AlicloudKind = "alicloud_instance" | "alicloud_ecs_network_interface";

export function isAlicloudKind(kind: ResourceKind): kind is AlicloudKind {
  return kind === "alicloud_instance" || kind === "alicloud_ecs_network_interface";
}

/** One group, additively: `alisg_attachment` and its ENI twin. */
export function isAttachmentKind(kind: ResourceKind): boolean {
  return kind === "alisg_attachment" || kind === "alisg_network_interface_attachment";
}

/** alisg's authoritative set: `alisg_instance_security_groups` and its ENI twin. */
export function isSetKind(kind: ResourceKind): boolean {
  return kind === "alisg_instance_security_groups" || kind === "alisg_network_interface_security_groups";
}

/** The kinds whose `Holding.instanceId` names an ENI. */
export function namesNetworkInterface(kind: ResourceKind): boolean {
  return (
    kind === "alisg_network_interface_attachment" ||
    kind === "alisg_network_interface_security_groups" ||
    kind === "alicloud_ecs_network_interface"
  );
}

/**
 * What one resource object declares about one instance. An attachment
 * declares one group (additively); an authoritative set or an
 * `alicloud_instance` declares every group of the instance.
 * `null` for a value not known until apply.
 */
export interface Holding {
  /** The subject: an instance ID, or an ENI ID for the ENI kinds (see `subjects.ts`). */
  readonly instanceId: string | null;
  readonly securityGroupIds: readonly string[] | null;
}

/** How the two halves of a replacement are ordered. */
export type ReplacementOrder =
  /** Terraform's default: the old object is deleted, then the new one created. */
  | "delete-first"
  /** `create_before_destroy`. */
  | "create-first"
  /** Not known to the caller (the provider is not told): either may happen. */
  | "either";

/** One resource's planned change. */
export interface ResourceChange {
  /**
   * Identity within one judgement: the Terraform address (plan gate) or a key
   * the provider gives each planned resource. Two changes with the same key
   * are the same resource.
   */
  readonly resource: string;
  /** How findings name the resource, e.g. `alisg_attachment.web` or `alisg_attachment i-1:sg-web`. */
  readonly label: string;
  readonly kind: ResourceKind;
  /** What the resource declares before the change; null when it is created. */
  readonly before: Holding | null;
  /** What it declares after the change; null when it is destroyed or forgotten. */
  readonly after: Holding | null;
  /**
   * Its delete makes no API call: `retain_on_delete` on an attachment (an
   * authoritative set is always forgotten; an `alicloud_instance` or
   * `alicloud_ecs_network_interface` delete destroys the instance or ENI,
   * which is not a membership change).
   */
  readonly retainOnDelete?: boolean;
  /** Set when the old object is replaced by a new one (both `before` and `after` are then set). */
  readonly replacement?: ReplacementOrder;
}

/** Codes of the whole-plan findings that are not ECS error codes. */
export type PlanCode =
  /** Two resources declare the same instance/group pair (also a synth-time check). */
  | "DuplicateAttachment"
  /** Two authoritative sets for one instance (also a synth-time check). */
  | "DuplicateInstanceSecurityGroups"
  /** One instance governed by an attachment and an authoritative set (also a synth-time check). */
  | "MixedMembershipResources"
  /** A pair handed from one resource to another that Terraform may leave and join again. */
  | "MembershipHandOff"
  /** An authoritative set that will leave groups it does not list. */
  | "UnlistedSecurityGroups"
  /** An instance touched by so many changes that not every order could be explored. */
  | "TooManyChangesToCheck"
  /** An `alicloud_instance` managing `security_groups` beside another resource of the same instance (also a synth-time check). */
  | "AlicloudInstanceConflict"
  /** An `alicloud_ecs_network_interface` managing `security_group_ids` beside another resource of the same ENI (also a synth-time check). */
  | "AlicloudNetworkInterfaceConflict";

/** Something the model found about the plan. `summary` begins with `${code}: `. */
export interface Finding {
  readonly severity: "error" | "warning";
  /** An ECS error code (what the API would answer) or a `PlanCode`. */
  readonly code: string;
  /** The resources involved (their `resource` keys), sorted. */
  readonly resources: readonly string[];
  /** Their labels, in the same order. */
  readonly labels: readonly string[];
  /** The subject: an instance ID, or the ENI ID of an ENI that is not an instance's primary one. */
  readonly instanceId: string;
  /**
   * Set when the subject is an ENI (then equal to `instanceId`), or an
   * instance that a change named through its primary ENI (then that ENI).
   */
  readonly networkInterfaceId?: string;
  readonly securityGroupId?: string;
  /** `<code>: <one plain sentence naming the instance and group>` */
  readonly summary: string;
  /** What to do next. */
  readonly detail: string;
}

/** The model's answer for a set of changes. */
export interface PlanJudgement {
  /** Errors (the plan must not be applied) and warnings, instance by instance. */
  readonly findings: readonly Finding[];
  /** Changes whose instance or groups are unknown until apply: checked at apply time instead. */
  readonly unknown: readonly ResourceChange[];
}
