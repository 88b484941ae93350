import fc from "fast-check";
import type { Facts, GroupFacts, InstanceFacts } from "../../src/membership/types";
import type { Holding, ReplacementOrder, ResourceChange } from "../../src/membership/resource-change";

/**
 * Random whole plans for the property tests of `judgePlan`: live facts for up
 * to three instances and up to eight resource changes on them, as a refreshed
 * Terraform plan would show them (an attachment's, a set's or an instance's
 * `before` is what ECS has now, mostly; a deleted or moved attachment's old
 * pair is sometimes already gone).
 */

export const INSTANCE_IDS = ["i-1", "i-2", "i-3"] as const;
export const GROUP_IDS = ["sg-a", "sg-b", "sg-c", "sg-d", "sg-e", "sg-f"] as const;

export interface PlanCase {
  readonly facts: Facts;
  readonly changes: ResourceChange[];
}

function weighted<T>(...choices: [number, T][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));
}

const groupFacts = (securityGroupId: string): GroupFacts => ({
  securityGroupId,
  vpcId: "vpc-1",
  type: "normal",
});

const instanceArb = (instanceId: string): fc.Arbitrary<InstanceFacts> =>
  fc
    .record({
      status: weighted([12, "Running"], [6, "Stopped"], [1, "Starting"]),
      lockReasons: weighted<string[]>([14, []], [2, ["financial"]], [1, ["security"]]),
      securityGroupIds: fc.shuffledSubarray([...GROUP_IDS], { minLength: 1, maxLength: 4 }),
      limit: fc.integer({ min: 2, max: 6 }),
    })
    .map(({ status, lockReasons, securityGroupIds, limit }) => ({
      instanceId,
      status,
      lockReasons,
      vpcId: "vpc-1",
      securityGroupIds,
      // ECS never lets an instance be in more groups than its limit.
      maxSecurityGroups: Math.max(limit, securityGroupIds.length),
    }));

export const factsArb: fc.Arbitrary<Facts> = fc.tuple(...INSTANCE_IDS.map(instanceArb)).map((instances) => ({
  instances: new Map(instances.map((i) => [i.instanceId, i])),
  groups: new Map(GROUP_IDS.map((g) => [g, groupFacts(g)])),
}));

/** An instance index, biased towards the first ones so that changes meet on one instance. */
const anyInstanceIx = weighted<number>([5, 0], [3, 1], [2, 2]);
const groupArb = fc.constantFrom(...GROUP_IDS);
/** A group the instance is in now (by index), or now and then any group. */
const oldGroupArb = fc.oneof(
  { weight: 5, arbitrary: fc.nat().map((n) => ({ member: n }) as const) },
  { weight: 1, arbitrary: groupArb.map((g) => ({ any: g }) as const) },
);
const setArb = fc.subarray([...GROUP_IDS], { minLength: 1, maxLength: 3 });
const orderArb = fc.constantFrom<ReplacementOrder>("delete-first", "create-first", "either");

/** What one resource does in the plan, before it is tied to the facts. */
type Intent =
  | { t: "att-create"; i: number; g: string }
  | { t: "att-delete"; i: number; old: OldGroup; retain: boolean }
  | { t: "att-move"; i: number; old: OldGroup; g: string }
  | { t: "att-noop"; i: number; n: number }
  | {
      t: "att-replace";
      i: number;
      old: OldGroup;
      to: "same" | "group" | "instance";
      i2: number;
      g: string;
      order: ReplacementOrder;
      retain: boolean;
    }
  | { t: "set-create" | "set-update" | "alicloud-update"; i: number; gs: string[] }
  | { t: "set-delete" | "set-noop" | "alicloud-noop"; i: number }
  | { t: "set-replace"; i: number; i2: number; gs: string[]; order: ReplacementOrder }
  /** A renamed attachment: the old address destroyed, the new one created, for the same pair. */
  | { t: "rename"; i: number; n: number; retain: boolean }
  /** `count` over members of the instance, one element removed: the later ones shift down. */
  | { t: "count-shift"; i: number; k: number; drop: number };
type OldGroup = { readonly member: number } | { readonly any: string };

const intentArb = (instanceIx: fc.Arbitrary<number>, attachmentsOnly: boolean): fc.Arbitrary<Intent> => {
  /** The other kinds' intents, left out when only attachments are wanted. */
  const others = (...entries: fc.WeightedArbitrary<Intent>[]): fc.WeightedArbitrary<Intent>[] =>
    attachmentsOnly ? [] : entries;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant("att-create" as const), i: instanceIx, g: groupArb }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant("att-delete" as const),
        i: instanceIx,
        old: oldGroupArb,
        retain: weighted([3, false], [1, true]),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant("att-move" as const),
        i: instanceIx,
        old: oldGroupArb,
        g: groupArb,
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("att-noop" as const), i: instanceIx, n: fc.nat() }) },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant("att-replace" as const),
        i: instanceIx,
        old: oldGroupArb,
        to: weighted<"same" | "group" | "instance">([3, "same"], [1, "group"], [1, "instance"]),
        i2: instanceIx,
        g: groupArb,
        order: orderArb,
        retain: weighted([5, false], [1, true]),
      }),
    },
    ...others(
      {
        weight: 3,
        arbitrary: fc.record({
          t: fc.constantFrom("set-create" as const, "set-update" as const),
          i: instanceIx,
          gs: setArb,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          t: fc.constantFrom("set-delete" as const, "set-noop" as const),
          i: instanceIx,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          t: fc.constant("set-replace" as const),
          i: instanceIx,
          i2: instanceIx,
          gs: setArb,
          order: orderArb,
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ t: fc.constant("alicloud-update" as const), i: instanceIx, gs: setArb }),
      },
      { weight: 1, arbitrary: fc.record({ t: fc.constant("alicloud-noop" as const), i: instanceIx }) },
    ),
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant("rename" as const),
        i: instanceIx,
        n: fc.nat(),
        retain: weighted([4, false], [1, true]),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("count-shift" as const),
        i: instanceIx,
        k: fc.integer({ min: 2, max: 4 }),
        drop: fc.nat(),
      }),
    },
  );
};

/** Where a change hides a value until apply (most changes hide nothing). */
type Unknown = "none" | "after-instance" | "after-groups" | "before-instance" | "before-groups";
const unknownArb = weighted<Unknown>(
  [32, "none"],
  [1, "after-instance"],
  [1, "after-groups"],
  [1, "before-instance"],
  [1, "before-groups"],
);

/** The changes one intent makes (keys and labels are given later, once all are known). */
function changesOf(facts: Facts, intent: Intent, unknown: Unknown): ResourceChange[] {
  const inst = INSTANCE_IDS[intent.i];
  const now = facts.instances.get(inst)!.securityGroupIds;
  const oldGroup = (old: OldGroup): string => ("member" in old ? now[old.member % now.length] : old.any);
  const h = (instanceId: string, groups: readonly string[]): Holding => ({
    instanceId,
    securityGroupIds: [...groups],
  });
  let change: ResourceChange;
  switch (intent.t) {
    case "att-create":
      change = at(null, h(inst, [intent.g]));
      break;
    case "att-delete":
      change = {
        ...at(h(inst, [oldGroup(intent.old)]), null),
        ...(intent.retain ? { retainOnDelete: true } : {}),
      };
      break;
    case "att-move": {
      const old = oldGroup(intent.old);
      // A refreshed plan has no attachment for a pair ECS does not have: it creates one.
      change = at(old === intent.g && !now.includes(old) ? null : h(inst, [old]), h(inst, [intent.g]));
      break;
    }
    case "att-noop": {
      const g = now[intent.n % now.length];
      change = at(h(inst, [g]), h(inst, [g]));
      break;
    }
    case "att-replace": {
      const old = oldGroup(intent.old);
      const after =
        intent.to === "same"
          ? h(inst, [old])
          : intent.to === "group"
            ? h(inst, [intent.g])
            : h(INSTANCE_IDS[intent.i2], [intent.g]);
      change = {
        ...at(h(inst, [old]), after),
        replacement: intent.order,
        ...(intent.retain ? { retainOnDelete: true } : {}),
      };
      break;
    }
    case "set-create":
      change = set(null, h(inst, intent.gs));
      break;
    case "set-update":
      change = set(h(inst, now), h(inst, intent.gs));
      break;
    case "set-delete":
      change = set(h(inst, now), null);
      break;
    case "set-noop":
      change = set(h(inst, now), h(inst, now));
      break;
    case "set-replace":
      change = { ...set(h(inst, now), h(INSTANCE_IDS[intent.i2], intent.gs)), replacement: intent.order };
      break;
    case "alicloud-update":
      change = ali(h(inst, now), h(inst, intent.gs));
      break;
    case "alicloud-noop":
      change = ali(h(inst, now), h(inst, now));
      break;
    case "rename": {
      const g = now[intent.n % now.length];
      const gone = { ...at(h(inst, [g]), null), ...(intent.retain ? { retainOnDelete: true } : {}) };
      return [gone, hide(at(null, h(inst, [g])), unknown)];
    }
    case "count-shift": {
      const groups = now.slice(0, intent.k);
      const drop = intent.drop % groups.length;
      return groups.map((g, p) =>
        p < drop
          ? at(h(inst, [g]), h(inst, [g]))
          : at(h(inst, [g]), p + 1 < groups.length ? h(inst, [groups[p + 1]]) : null),
      );
    }
  }
  return [hide(change, unknown)];

  function at(before: Holding | null, after: Holding | null): ResourceChange {
    return { resource: "", label: "", kind: "alisg_attachment", before, after };
  }
  function set(before: Holding | null, after: Holding | null): ResourceChange {
    return {
      resource: "",
      label: "",
      kind: "alisg_instance_security_groups",
      before,
      after,
    };
  }
  function ali(before: Holding | null, after: Holding | null): ResourceChange {
    return { resource: "", label: "", kind: "alicloud_instance", before, after };
  }
}

function hide(c: ResourceChange, unknown: Unknown): ResourceChange {
  if (unknown === "after-instance" && c.after) return { ...c, after: { ...c.after, instanceId: null } };
  if (unknown === "after-groups" && c.after) return { ...c, after: { ...c.after, securityGroupIds: null } };
  if (unknown === "before-instance" && c.before) return { ...c, before: { ...c.before, instanceId: null } };
  if (unknown === "before-groups" && c.before)
    return { ...c, before: { ...c.before, securityGroupIds: null } };
  return c;
}

export interface PlanCaseOptions {
  /** Most changes in a plan (default 8). */
  readonly maxChanges?: number;
  /**
   * Every change is an attachment's, on i-1 (the others exist but are left
   * alone): the most interaction among changes a plan may accept together.
   */
  readonly oneInstance?: boolean;
}

/** Facts and up to `maxChanges` changes with unique resource keys (`r0`, `r1`, ...). */
export const planCaseArb = ({
  maxChanges = 8,
  oneInstance = false,
}: PlanCaseOptions = {}): fc.Arbitrary<PlanCase> =>
  fc
    .record({
      facts: factsArb,
      intents: fc.array(
        fc.tuple(intentArb(oneInstance ? fc.constant(0) : anyInstanceIx, oneInstance), unknownArb),
        {
          minLength: 1,
          maxLength: maxChanges,
        },
      ),
    })
    .map(({ facts, intents }) => ({
      facts,
      changes: intents
        .flatMap(([intent, unknown]) => changesOf(facts, intent, unknown))
        .slice(0, maxChanges)
        .map((c, n) => ({ ...c, resource: `r${n}`, label: `${c.kind}.r${n}` })),
    }));
