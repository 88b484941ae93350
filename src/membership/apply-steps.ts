import {
  isAlicloudKind,
  isAttachmentKind,
  type Holding,
  type ResourceChange,
  type ResourceKind,
} from "./resource-change";
import type { Change } from "./types";

/**
 * What an apply does to ECS, defined once for the whole product: which
 * steps each resource change is made of, which calls a step makes when its
 * turn comes, and when a Leave is skipped. The provider's verbs execute it
 * (`src/provider/guard/guard.ts`), the whole-plan model explores every order
 * of it (`apply-orders.ts`), and `alisg drift` judges the corrections it
 * would make with it. Nothing else restates it.
 *
 * - Each resource's apply is one step; a replacement is two (its delete half
 *   and its create half). The provider makes one step's calls under a
 *   per-instance lock, so the steps of one instance never overlap.
 * - alisg makes a step's joins first, then its leaves. A join of a group the
 *   instance is already in makes no call (the group is adopted); a leave of a
 *   group it is not in makes none either.
 * - **The standing rule:** once a step has succeeded, its resource holds its
 *   groups (`takes`), and no later step of the same apply leaves them: that
 *   removal is a hand-off, and the removed resource is forgotten instead. The
 *   state then records exactly the memberships ECS has, whichever order
 *   Terraform picked.
 * - **A replacement on the same instance** (`-replace`, a taint,
 *   `replace_triggered_by`): its delete half joins the groups the new object
 *   declares (they are adopted by the create half) before it leaves the old
 *   groups the new object does not declare, so the instance is never out of
 *   a group the new object keeps, in either order.
 * - An `alicloud_instance` update (judged by `alisg check-plan`) leaves the
 *   removed groups first, then joins the new ones, one call each, and is not
 *   covered by the standing rule: that is how the alicloud provider applies it.
 * - An `alicloud_ecs_network_interface` update of `security_group_ids` (also
 *   judged by `alisg check-plan`) is one `ModifyNetworkInterfaceAttribute`
 *   call that replaces the ENI's whole set at once: no moment between a leave
 *   and a join, and every group not in the new list is gone after it.
 */

/** One API call a step asks for. */
export interface StepCall {
  readonly action: "join" | "leave";
  readonly securityGroupId: string;
}

export interface ApplyStep {
  /** The resource's key; both halves of a replacement share it. */
  readonly resource: string;
  readonly label: string;
  readonly kind: ResourceKind;
  readonly half?: "delete" | "create";
  /** Made by alisg (its calls follow the standing rule) or by the alicloud provider. */
  readonly byAlisg: boolean;
  /** Groups joined, in order. An `unknownGroup()` stands for a group known only at apply. */
  readonly joins: readonly string[];
  /** Groups left, in order (alisg: after every join; alicloud: before them). */
  readonly leaves: readonly string[];
  /**
   * An authoritative set (alisg's, or an atomic step's list): at its turn it
   * joins every listed group and leaves every other group the instance is in.
   * `joins` then lists the same groups.
   */
  readonly reconcileTo?: readonly string[];
  /**
   * The alicloud provider's one call that sets the subject's groups to
   * `reconcileTo` at once (`ModifyNetworkInterfaceAttribute`): ECS judges
   * only the set after it.
   */
  readonly atomic?: boolean;
  /** Groups its resource holds once the step succeeded: the standing rule keeps them. */
  readonly takes: readonly string[];
  /** The step gives up groups its own new object may take again, but the new object is known only at apply. */
  readonly replacedByUnknown?: boolean;
  /** Index (in the instance's step list) of a step that must come first. */
  readonly after?: number;
}

/** What a resource declares once the plan is applied, per instance. */
export interface Claim {
  readonly resource: string;
  readonly label: string;
  readonly kind: ResourceKind;
  /** One group (attachment) or the exact set of the instance (authoritative kinds). */
  readonly securityGroupIds: readonly string[];
  readonly authoritative: boolean;
}

/** The steps and claims of one instance. */
export interface InstanceWork {
  readonly instanceId: string;
  readonly steps: ApplyStep[];
  readonly claims: Claim[];
  /** Every resource that will govern the instance's groups, its groups known or not. */
  readonly governors: Governor[];
}

/** A resource that governs an instance's groups once the plan is applied. */
export interface Governor {
  readonly resource: string;
  readonly label: string;
  readonly kind: ResourceKind;
}

/** A holding whose instance and groups are all known. */
export interface KnownHolding {
  readonly instanceId: string;
  readonly securityGroupIds: readonly string[];
}

/** The holding, `null` for none, `undefined` when a value is not known until apply. */
export function known(h: Holding | null): KnownHolding | null | undefined {
  if (h === null) return null;
  if (h.instanceId === null || h.securityGroupIds === null) return undefined;
  return { instanceId: h.instanceId, securityGroupIds: h.securityGroupIds };
}

/** True when every value the change depends on is known now. */
export function isKnown(c: ResourceChange): boolean {
  return known(c.before) !== undefined && known(c.after) !== undefined;
}

const UNKNOWN_PREFIX = "?";

/** A stand-in for a group known only at apply (no real ID starts with `?`), one per resource. */
export function unknownGroup(resource: string): string {
  return `${UNKNOWN_PREFIX}${resource}`;
}

export function isUnknownGroup(g: string): boolean {
  return g.startsWith(UNKNOWN_PREFIX);
}

/** How the two halves of the change are ordered when it is a replacement (undefined: it is not one). */
export function replacementOf(c: ResourceChange): ResourceChange["replacement"] {
  if (c.replacement) return c.replacement;
  // A resource whose instance changes is always replaced (instance_id forces it).
  const b = c.before?.instanceId;
  const a = c.after?.instanceId;
  return b && a !== undefined && c.after !== null && a !== b ? "either" : undefined;
}

/**
 * The steps a change is made of, each with the instance it acts on: none for
 * a change with nothing to do, one for a create, update or delete, two for a
 * replacement. Parts whose values are known only at apply are left out (the
 * change is then listed as checked at apply), except what can be judged now:
 * the old object's leaves of a replacement whose new object is unknown, and
 * an attachment's leave when it moves to a group known only at apply.
 */
export function stepsOf(c: ResourceChange): readonly { instanceId: string; step: ApplyStep }[] {
  let steps = stepsMemo.get(c);
  if (!steps) {
    steps = stepsOfChange(c);
    stepsMemo.set(c, steps);
  }
  return steps;
}

/**
 * The steps of each change object already worked out: the provider judges a
 * change again with every later change of its instance (a change object is
 * never modified: the ledger records a new one when a resource changes).
 */
const stepsMemo = new WeakMap<ResourceChange, readonly { instanceId: string; step: ApplyStep }[]>();

function stepsOfChange(c: ResourceChange): { instanceId: string; step: ApplyStep }[] {
  const before = known(c.before);
  const after = known(c.after);
  const base = { resource: c.resource, label: c.label, kind: c.kind };
  const replacement = replacementOf(c);
  if (isAlicloudKind(c.kind)) {
    // Created, destroyed or replaced: a new or gone instance (or ENI), not a membership change.
    if (!before || !after || replacement) return [];
    const leaves = before.securityGroupIds.filter((g) => !after.securityGroupIds.includes(g));
    const joins = after.securityGroupIds.filter((g) => !before.securityGroupIds.includes(g));
    if (leaves.length + joins.length === 0) return [];
    const step: ApplyStep =
      c.kind === "alicloud_ecs_network_interface"
        ? // The one call sets the whole list, whatever the ENI is in by then: it may join any of it.
          {
            ...base,
            byAlisg: false,
            joins: after.securityGroupIds,
            leaves,
            reconcileTo: after.securityGroupIds,
            atomic: true,
            takes: [],
          }
        : { ...base, byAlisg: false, joins, leaves, takes: [] };
    return [{ instanceId: after.instanceId, step }];
  }
  const attachment = isAttachmentKind(c.kind);
  const steps: { instanceId: string; step: ApplyStep }[] = [];
  const create = (h: KnownHolding, half?: "create") =>
    steps.push({
      instanceId: h.instanceId,
      step: attachment
        ? { ...base, half, byAlisg: true, joins: h.securityGroupIds, leaves: [], takes: h.securityGroupIds }
        : {
            ...base,
            half,
            byAlisg: true,
            joins: h.securityGroupIds,
            leaves: [],
            reconcileTo: h.securityGroupIds,
            takes: h.securityGroupIds,
          },
    });
  const remove = (b: KnownHolding, half?: "delete") => {
    // An authoritative set is forgotten; a retained attachment too.
    if (!attachment || c.retainOnDelete) return;
    const sameInstance = after?.instanceId === b.instanceId;
    const early = half && after && sameInstance ? after.securityGroupIds : [];
    steps.push({
      instanceId: b.instanceId,
      step: {
        ...base,
        half,
        byAlisg: true,
        joins: early,
        leaves: b.securityGroupIds.filter((g) => !early.includes(g)),
        takes: early,
        ...(half && after === undefined ? { replacedByUnknown: true } : {}),
      },
    });
  };

  if (replacement && before) {
    remove(before, "delete");
    if (after) create(after, "create");
    const del = steps.find((s) => s.step.half === "delete");
    const add = steps.find((s) => s.step.half === "create");
    if (del && add && del.instanceId === add.instanceId && replacement !== "either") {
      // Index 0 and 1 of this change's own steps; `work()` turns them into instance indexes.
      const first = replacement === "delete-first" ? del : add;
      const second = first === del ? add : del;
      second.step = { ...second.step, after: steps.indexOf(first) };
    }
    return steps;
  }
  if (!before) {
    if (after) create(after);
    return steps;
  }
  if (c.after === null) {
    remove(before);
    return steps;
  }
  if (!after) {
    // An attachment moving to a group known only at apply: its join comes first, then its leaves.
    if (attachment && c.after.instanceId === before.instanceId) {
      const g = unknownGroup(c.resource);
      steps.push({
        instanceId: before.instanceId,
        step: { ...base, byAlisg: true, joins: [g], leaves: before.securityGroupIds, takes: [] },
      });
    }
    return steps;
  }
  const added = after.securityGroupIds.filter((g) => !before.securityGroupIds.includes(g));
  const removed = before.securityGroupIds.filter((g) => !after.securityGroupIds.includes(g));
  if (added.length + removed.length === 0) return steps;
  if (attachment) {
    // Its group is joined (or adopted) even when it held it before as a pending group: another step
    // of the apply may have left it since.
    steps.push({
      instanceId: after.instanceId,
      step: {
        ...base,
        byAlisg: true,
        joins: after.securityGroupIds,
        leaves: removed,
        takes: after.securityGroupIds,
      },
    });
  } else {
    create(after);
  }
  return steps;
}

/** What the change declares once applied (null: nothing, or not known until apply). */
export function claimOf(c: ResourceChange): { instanceId: string; claim: Claim } | null {
  const after = known(c.after);
  if (!after) return null;
  // An alicloud_instance (or ENI) created or replaced is a new one: it declares nothing alisg judges.
  if (isAlicloudKind(c.kind) && (!c.before || replacementOf(c))) return null;
  return {
    instanceId: after.instanceId,
    claim: {
      resource: c.resource,
      label: c.label,
      kind: c.kind,
      securityGroupIds: after.securityGroupIds,
      authoritative: !isAttachmentKind(c.kind),
    },
  };
}

/** Splits the changes into per-instance steps and claims. */
export function applyWork(changes: readonly ResourceChange[]): Map<string, InstanceWork> {
  const work = new Map<string, InstanceWork>();
  const of = (instanceId: string): InstanceWork => {
    let w = work.get(instanceId);
    if (!w) {
      w = { instanceId, steps: [], claims: [], governors: [] };
      work.set(instanceId, w);
    }
    return w;
  };
  for (const c of changes) {
    const claim = claimOf(c);
    if (claim) of(claim.instanceId).claims.push(claim.claim);
    const governed = c.after?.instanceId;
    if (governed && (claim || c.after?.securityGroupIds === null)) {
      of(governed).governors.push({ resource: c.resource, label: c.label, kind: c.kind });
    }
    const own = stepsOf(c);
    const indexes = own.map(({ instanceId, step }) => {
      const steps = of(instanceId).steps;
      return steps.push(step) - 1;
    });
    own.forEach(({ instanceId, step }, n) => {
      if (step.after === undefined) return;
      const steps = of(instanceId).steps;
      steps[indexes[n]] = { ...step, after: indexes[step.after] };
    });
  }
  return work;
}

/**
 * The calls a step makes when its turn comes, given the instance's groups
 * then and the groups this apply has already taken from it (the standing
 * rule): alisg's joins, then its leaves of groups not taken; an authoritative
 * set leaves every group it does not list; the alicloud provider leaves, then
 * joins, or (an atomic step) replaces the set: its calls are then the joins
 * and leaves that one call amounts to.
 */
export function callsAt(step: ApplyStep, groups: Iterable<string>, taken: ReadonlySet<string>): StepCall[] {
  const join = (g: string): StepCall => ({ action: "join", securityGroupId: g });
  const leave = (g: string): StepCall => ({ action: "leave", securityGroupId: g });
  if (step.atomic && step.reconcileTo) {
    const wanted = step.reconcileTo;
    const now = [...groups];
    return [
      ...wanted.filter((g) => !now.includes(g)).map(join),
      ...now
        .filter((g) => !wanted.includes(g))
        .sort()
        .map(leave),
    ];
  }
  if (!step.byAlisg) return [...step.leaves.map(leave), ...step.joins.map(join)];
  const wanted = step.reconcileTo;
  const leaves = wanted ? [...groups].filter((g) => !wanted.includes(g)).sort() : step.leaves;
  return [...step.joins.map(join), ...leaves.filter((g) => !taken.has(g)).map(leave)];
}

/** A step's calls as membership changes of `instanceId` (what the per-call rules judge). */
export function changesOf(instanceId: string, calls: readonly StepCall[]): Change[] {
  return calls.map((c) => ({ kind: c.action, instanceId, securityGroupId: c.securityGroupId }));
}

/** True when the step can make no API call, whatever the instance's groups (nothing to describe first). */
export function makesNoCall(step: ApplyStep, taken: ReadonlySet<string>): boolean {
  return step.joins.length === 0 && !step.reconcileTo && step.leaves.every((g) => taken.has(g));
}
