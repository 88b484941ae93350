import type { Facts } from "../../src/membership/types";
import type { Holding, ResourceChange } from "../../src/membership/resource-change";

/**
 * An independent replay of a whole plan against ECS, for the property tests of
 * `judgePlan`. It derives each resource's apply steps from its
 * `ResourceChange` itself (it does not use `applyWork` or `exploreOrders`) and
 * walks every order Terraform could apply one instance's steps in.
 *
 * Semantics (the provider's, as the model assumes them):
 * - each resource's apply is one atomic step on its instance; the steps of
 *   different instances never interact, so each instance is explored alone
 *   and an apply's orders are the per-instance orders combined;
 * - alisg_attachment: create joins (adopts when already a member); delete
 *   leaves unless `retainOnDelete`; an update that changes the group joins
 *   the new group, then leaves the old one;
 * - alisg_instance_security_groups: create/update reconciles at its turn
 *   (joins every listed group missing, adopting those present, then leaves
 *   every group not listed); delete forgets (no call);
 * - alicloud_instance update of security_groups: leaves the removed groups,
 *   then joins the added ones, one call each; not tracked by alisg;
 * - a replacement is a delete half and a create half, ordered as the change
 *   says when both are on one instance; the delete half does not leave the
 *   groups `keepOnDelete` lists for it (the model's obligation);
 * - the standing rule: an alisg leave is skipped when an earlier step of the
 *   same apply joined or adopted that group on that instance;
 * - ECS: a call (a join of a group the instance is not in, a leave of one it
 *   is in) is refused unless the instance is Running or Stopped and not
 *   security-locked; a leave of the last group is refused; a join over the
 *   limit is refused. A refused call ends its step (the rest of its calls are
 *   not made); Terraform goes on with the other steps.
 */

/** One call a step makes. `tracked`: made by alisg (remembered for the standing rule, and skippable). */
export type SimCall =
  | { readonly op: "join" | "leave"; readonly group: string; readonly tracked: boolean }
  /** An authoritative set reconciled at its turn. */
  | { readonly op: "reconcile"; readonly groups: readonly string[] };

export interface SimStep {
  readonly resource: string;
  readonly half?: "delete" | "create";
  readonly calls: readonly SimCall[];
}

/** What a resource declares about one instance once the plan is applied. */
export interface SimClaim {
  readonly resource: string;
  readonly groups: readonly string[];
  /** The instance must be in exactly these groups (authoritative kinds); otherwise in each of them. */
  readonly exact: boolean;
}

export interface InstanceScript {
  readonly instanceId: string;
  readonly steps: SimStep[];
  /** [first, then]: step `first` must come before step `then`. */
  readonly before: [number, number][];
  readonly claims: SimClaim[];
}

export function holdingKnown(h: Holding | null): boolean {
  return h === null || (h.instanceId !== null && h.securityGroupIds !== null);
}

/** A change whose instance or groups are not known until apply. */
export function hasUnknown(c: ResourceChange): boolean {
  return !holdingKnown(c.before) || !holdingKnown(c.after);
}

/** Derives every instance's steps and claims from the known changes. */
export function scriptsOf(
  changes: readonly ResourceChange[],
  keepOnDelete: ReadonlyMap<string, readonly string[]>,
): Map<string, InstanceScript> {
  const scripts = new Map<string, InstanceScript>();
  const of = (instanceId: string): InstanceScript => {
    let s = scripts.get(instanceId);
    if (!s) scripts.set(instanceId, (s = { instanceId, steps: [], before: [], claims: [] }));
    return s;
  };
  const add = (instanceId: string, step: SimStep): number =>
    step.calls.length === 0 ? -1 : of(instanceId).steps.push(step) - 1;

  for (const c of changes) {
    if (hasUnknown(c)) continue;
    const b = c.before as { instanceId: string; securityGroupIds: readonly string[] } | null;
    const a = c.after as { instanceId: string; securityGroupIds: readonly string[] } | null;
    if (c.kind === "alicloud_instance" && (!b || !a || c.replacement)) {
      // A new, destroyed or replaced instance: no membership calls, nothing alisg can judge.
      continue;
    }
    if (a) {
      of(a.instanceId).claims.push({
        resource: c.resource,
        groups: [...a.securityGroupIds],
        exact: c.kind !== "alisg_attachment",
      });
    }
    const attachment = c.kind === "alisg_attachment";
    const leaves = (groups: readonly string[]): SimCall[] =>
      attachment && !c.retainOnDelete ? groups.map((g) => ({ op: "leave", group: g, tracked: true })) : [];
    const creates = (groups: readonly string[]): SimCall[] =>
      attachment
        ? groups.map((g) => ({ op: "join", group: g, tracked: true }))
        : [{ op: "reconcile", groups: [...groups] }];

    if (b && a && c.replacement) {
      const keep = keepOnDelete.get(c.resource) ?? [];
      const d = add(b.instanceId, {
        resource: c.resource,
        half: "delete",
        calls: leaves(b.securityGroupIds.filter((g) => !keep.includes(g))),
      });
      const k = add(a.instanceId, {
        resource: c.resource,
        half: "create",
        calls: creates(a.securityGroupIds),
      });
      if (d >= 0 && b.instanceId === a.instanceId) {
        if (c.replacement === "delete-first") of(a.instanceId).before.push([d, k]);
        if (c.replacement === "create-first") of(a.instanceId).before.push([k, d]);
      }
    } else if (!b && a) {
      add(a.instanceId, { resource: c.resource, calls: creates(a.securityGroupIds) });
    } else if (b && !a) {
      add(b.instanceId, { resource: c.resource, calls: leaves(b.securityGroupIds) });
    } else if (b && a) {
      if (b.instanceId !== a.instanceId) {
        throw new Error(`${c.resource}: an instance change without replacement is not a Terraform plan`);
      }
      const added = a.securityGroupIds.filter((g) => !b.securityGroupIds.includes(g));
      const removed = b.securityGroupIds.filter((g) => !a.securityGroupIds.includes(g));
      if (added.length + removed.length === 0) continue;
      const calls: SimCall[] =
        c.kind === "alisg_attachment"
          ? [
              ...added.map((g): SimCall => ({ op: "join", group: g, tracked: true })),
              ...removed.map((g): SimCall => ({ op: "leave", group: g, tracked: true })),
            ]
          : c.kind === "alicloud_instance"
            ? [
                ...removed.map((g): SimCall => ({ op: "leave", group: g, tracked: false })),
                ...added.map((g): SimCall => ({ op: "join", group: g, tracked: false })),
              ]
            : [{ op: "reconcile", groups: [...a.securityGroupIds] }];
      add(a.instanceId, { resource: c.resource, calls });
    }
  }
  return scripts;
}

/** A call ECS refused in some order. */
export interface SimRefusal {
  readonly code: string;
  readonly group: string;
  readonly resource: string;
}

/** Everything that can happen to one instance over every order. */
export interface InstanceOutcome {
  readonly instanceId: string;
  readonly initial: readonly string[];
  /** Complete orders covered (exact count of the interleavings allowed). */
  orders: number;
  /** Distinct states visited. */
  states: number;
  /** Calls refused in some order (deduplicated). */
  readonly refusals: SimRefusal[];
  /** Some order leaves the instance in no group at some moment. */
  zero: boolean;
  /** Final groups of the orders in which no call was refused (sorted, joined by ","). */
  readonly cleanFinals: Set<string>;
  /** Final groups of every order. */
  readonly finals: Set<string>;
  /** Groups the instance is in at the start that some order leaves at some moment. */
  readonly lapses: Set<string>;
  /** Per group, the resources whose step removed it from the instance in some order. */
  readonly leavers: Map<string, Set<string>>;
}

export function callable(facts: Facts, instanceId: string): string | undefined {
  const i = facts.instances.get(instanceId)!;
  if (i.status !== "Running" && i.status !== "Stopped") return "IncorrectInstanceStatus";
  if (i.lockReasons.includes("security")) return "InstanceLockedForSecurity";
  return undefined;
}

/**
 * Walks every order of the script's steps. States already seen (steps done,
 * groups, groups joined or adopted, refused so far) are not walked again: the
 * orders through them are counted, not re-run, and they reach the same ends
 * (`memo: false` walks every order one by one, to check that).
 */
export function exploreScript(
  facts: Facts,
  script: InstanceScript,
  options: { memo?: boolean } = {},
): InstanceOutcome {
  const remember = options.memo ?? true;
  const inst = facts.instances.get(script.instanceId);
  if (!inst) throw new Error(`no facts for ${script.instanceId}`);
  const { steps } = script;
  const initial = [...inst.securityGroupIds].sort();
  const out: InstanceOutcome = {
    instanceId: script.instanceId,
    initial,
    orders: 0,
    states: 0,
    refusals: [],
    zero: false,
    cleanFinals: new Set(),
    finals: new Set(),
    lapses: new Set(),
    leavers: new Map(),
  };
  const refused = new Set<string>();
  const blocked = callable(facts, script.instanceId);
  const prerequisites = steps.map((_, i) => script.before.filter(([, then]) => then === i).map(([f]) => f));
  const memo = new Map<string, number>();

  const walk = (done: boolean[], groups: string[], joined: string[], failed: boolean): number => {
    if (done.every(Boolean)) {
      const final = [...groups].sort().join(",");
      out.finals.add(final);
      if (!failed) out.cleanFinals.add(final);
      return 1;
    }
    const key = `${done.map(Number).join("")}|${[...groups].sort()}|${[...joined].sort()}|${failed}`;
    const seen = remember ? memo.get(key) : undefined;
    if (seen !== undefined) return seen;
    out.states++;
    let total = 0;
    for (let i = 0; i < steps.length; i++) {
      if (done[i] || prerequisites[i].some((p) => !done[p])) continue;
      const g = [...groups];
      const j = [...joined];
      const ok = runStep(steps[i], g, j);
      const nextDone = [...done];
      nextDone[i] = true;
      total += walk(nextDone, g, j, failed || !ok);
    }
    memo.set(key, total);
    return total;
  };

  /** Runs a step's calls on `groups`/`joined` in place; false when ECS refused one. */
  const runStep = (step: SimStep, groups: string[], joined: string[]): boolean => {
    for (const call of step.calls) {
      if (call.op === "reconcile") {
        for (const g of call.groups) if (!join(step, g, true, groups, joined)) return false;
        // The groups to leave are the ones not listed at this moment, after the joins.
        for (const g of [...groups].sort()) {
          if (!call.groups.includes(g) && !leave(step, g, true, groups, joined)) return false;
        }
      } else if (call.op === "join") {
        if (!join(step, call.group, call.tracked, groups, joined)) return false;
      } else if (!leave(step, call.group, call.tracked, groups, joined)) {
        return false;
      }
    }
    return true;
  };

  const refuse = (step: SimStep, code: string, group: string): false => {
    const key = `${code}|${group}|${step.resource}`;
    if (!refused.has(key)) {
      refused.add(key);
      out.refusals.push({ code, group, resource: step.resource });
    }
    return false;
  };

  const join = (step: SimStep, g: string, tracked: boolean, groups: string[], joined: string[]): boolean => {
    if (!groups.includes(g)) {
      if (blocked) return refuse(step, blocked, g);
      if (groups.length + 1 > inst.maxSecurityGroups)
        return refuse(step, "InstanceSecurityGroupLimitExceeded", g);
      groups.push(g);
    }
    if (tracked && !joined.includes(g)) joined.push(g);
    return true;
  };

  const leave = (step: SimStep, g: string, tracked: boolean, groups: string[], joined: string[]): boolean => {
    if (tracked && joined.includes(g)) return true;
    const at = groups.indexOf(g);
    if (at < 0) return true;
    if (blocked) return refuse(step, blocked, g);
    if (groups.length === 1) return refuse(step, "InstanceLastSecurityGroup", g);
    groups.splice(at, 1);
    out.leavers.set(g, (out.leavers.get(g) ?? new Set()).add(step.resource));
    // Unreachable while ECS refuses the last leave above; kept so that "never in no group" is checked, not assumed.
    if (groups.length === 0) out.zero = true;
    for (const s of initial) if (!groups.includes(s)) out.lapses.add(s);
    return true;
  };

  out.orders = walk(
    steps.map(() => false),
    [...initial],
    [],
    false,
  );
  return out;
}

/** The claims a final membership (sorted, joined by ",") leaves untrue. */
export function untrueClaims(claims: readonly SimClaim[], final: string): SimClaim[] {
  const groups = final === "" ? [] : final.split(",");
  return claims.filter((c) =>
    c.exact
      ? c.groups.length !== groups.length || c.groups.some((g) => !groups.includes(g))
      : c.groups.some((g) => !groups.includes(g)),
  );
}
