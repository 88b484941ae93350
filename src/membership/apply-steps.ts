import type { Holding, ResourceChange, ResourceKind } from "./resource-change";

/**
 * How a plan's changes turn into apply steps, per instance: the unit
 * Terraform orders. Each resource's apply is one step (the provider makes its
 * calls under a per-instance lock, so steps on one instance never overlap);
 * a replacement is two steps, its delete half and its create half.
 */

/** One API call a step makes, in the order the step makes them. */
export interface StepCall {
  readonly action: "join" | "leave";
  readonly securityGroupId: string;
  /**
   * Made by the alisg provider, which remembers the groups it joined or
   * adopted in an apply and skips a later leave of one of them (a hand-off).
   * The alicloud provider's calls are neither remembered nor skipped.
   */
  readonly byAlisg: boolean;
}

export interface ApplyStep {
  /** The resource's key; both halves of a replacement share it. */
  readonly resource: string;
  readonly label: string;
  readonly kind: ResourceKind;
  readonly half?: "delete" | "create";
  /** Calls in order (alisg: joins, then leaves; alicloud: leaves, then joins). */
  readonly calls: readonly StepCall[];
  /**
   * An authoritative set applied at this step: at its turn it joins every
   * listed group the instance lacks, then leaves every group not listed.
   * Mutually exclusive with `calls`.
   */
  readonly reconcileTo?: readonly string[];
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
}

/** A holding whose instance and groups are all known. */
export interface KnownHolding {
  readonly instanceId: string;
  readonly securityGroupIds: readonly string[];
}

export function known(h: Holding | null): KnownHolding | null | undefined {
  if (h === null) return null;
  if (h.instanceId === null || h.securityGroupIds === null) return undefined;
  return { instanceId: h.instanceId, securityGroupIds: h.securityGroupIds };
}

/** True when every value the change depends on is known now. */
export function isKnown(c: ResourceChange): boolean {
  return known(c.before) !== undefined && known(c.after) !== undefined;
}

/**
 * The groups the delete half of a replacement keeps (the new object declares
 * the same groups of the same instance): its delete must not leave them.
 */
export function keptByReplacement(c: ResourceChange): string[] {
  const before = known(c.before);
  const after = known(c.after);
  if (!c.replacement || !before || !after || before.instanceId !== after.instanceId) return [];
  return before.securityGroupIds.filter((g) => after.securityGroupIds.includes(g));
}

/** Splits known changes into per-instance steps and claims (changes with unknown values are left out). */
export function applyWork(changes: readonly ResourceChange[]): Map<string, InstanceWork> {
  const work = new Map<string, InstanceWork>();
  const of = (instanceId: string): InstanceWork => {
    let w = work.get(instanceId);
    if (!w) {
      w = { instanceId, steps: [], claims: [] };
      work.set(instanceId, w);
    }
    return w;
  };
  for (const c of changes) {
    if (!isKnown(c)) continue;
    const before = known(c.before) ?? null;
    const after = known(c.after) ?? null;
    // A resource whose instance changes is always replaced (instance_id forces it).
    const replacement =
      c.replacement ?? (before && after && before.instanceId !== after.instanceId ? "either" : undefined);
    // An alicloud_instance created, destroyed or replaced is a new or gone instance: no join or leave.
    if (c.kind === "alicloud_instance" && (!before || !after || replacement)) continue;
    if (after) {
      of(after.instanceId).claims.push({
        resource: c.resource,
        label: c.label,
        kind: c.kind,
        securityGroupIds: after.securityGroupIds,
        authoritative: c.kind !== "alisg_attachment",
      });
    }
    const base = { resource: c.resource, label: c.label, kind: c.kind };
    if (replacement && before && after) {
      const kept = keptByReplacement(c);
      const del = deleteCalls(c, before, kept);
      const create = createStep(c.kind, after);
      const sameInstance = before.instanceId === after.instanceId;
      const delSteps = of(before.instanceId).steps;
      const delIndex = del.length > 0 ? delSteps.push({ ...base, half: "delete", calls: del }) - 1 : -1;
      const createSteps = of(after.instanceId).steps;
      const createIndex = createSteps.length;
      const deleteFirst = sameInstance && delIndex >= 0 && replacement === "delete-first";
      createSteps.push({ ...base, half: "create", ...create, ...(deleteFirst ? { after: delIndex } : {}) });
      if (sameInstance && delIndex >= 0 && replacement === "create-first") {
        delSteps[delIndex] = { ...delSteps[delIndex], after: createIndex };
      }
      continue;
    }
    if (!before && after) {
      of(after.instanceId).steps.push({ ...base, ...createStep(c.kind, after) });
    } else if (before && !after) {
      const calls = deleteCalls(c, before, []);
      if (calls.length > 0) of(before.instanceId).steps.push({ ...base, calls });
    } else if (before && after && !sameHolding(before, after)) {
      of(after.instanceId).steps.push({ ...base, ...updateStep(c.kind, before, after) });
    }
  }
  return work;
}

function sameHolding(a: KnownHolding, b: KnownHolding): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.securityGroupIds.length === b.securityGroupIds.length &&
    a.securityGroupIds.every((g) => b.securityGroupIds.includes(g))
  );
}

const join = (g: string, byAlisg = true): StepCall => ({ action: "join", securityGroupId: g, byAlisg });
const leave = (g: string, byAlisg = true): StepCall => ({ action: "leave", securityGroupId: g, byAlisg });

function createStep(kind: ResourceKind, after: KnownHolding): Pick<ApplyStep, "calls" | "reconcileTo"> {
  return kind === "alisg_attachment"
    ? { calls: after.securityGroupIds.map((g) => join(g)) }
    : { calls: [], reconcileTo: after.securityGroupIds };
}

function updateStep(
  kind: ResourceKind,
  before: KnownHolding,
  after: KnownHolding,
): Pick<ApplyStep, "calls" | "reconcileTo"> {
  const added = after.securityGroupIds.filter((g) => !before.securityGroupIds.includes(g));
  const removed = before.securityGroupIds.filter((g) => !after.securityGroupIds.includes(g));
  if (kind === "alisg_attachment")
    return { calls: [...added.map((g) => join(g)), ...removed.map((g) => leave(g))] };
  if (kind === "alicloud_instance") {
    // The alicloud provider leaves the removed groups first, then joins the new ones, one call each.
    return { calls: [...removed.map((g) => leave(g, false)), ...added.map((g) => join(g, false))] };
  }
  return { calls: [], reconcileTo: after.securityGroupIds };
}

/** The leaves a delete (or a replacement's delete half) makes. */
function deleteCalls(c: ResourceChange, before: KnownHolding, kept: readonly string[]): StepCall[] {
  // An authoritative set is forgotten; a retained attachment too.
  if (c.kind !== "alisg_attachment" || c.retainOnDelete) return [];
  return before.securityGroupIds.filter((g) => !kept.includes(g)).map((g) => leave(g));
}
