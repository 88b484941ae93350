/**
 * Generated cases for the provider-level property tests: a world (up to 3
 * instances, groups in other VPCs and of the enterprise type among them,
 * statuses and locks, group limits from 1), a configuration applied first,
 * out-of-band changes, then an operation on a changed configuration, and
 * possibly a fault injected into one call of the apply; the provider may
 * protect some groups (protected_security_group_ids). ENI worlds (`eniCases`)
 * add each instance's primary ENI and secondary ENIs of their own, managed by
 * the ENI resources, an instance's resources naming it or its primary ENI.
 */
import fc from "fast-check";
import type { EmulatorSeed } from "../../../src/emulator/state";
import type { ScriptedFault } from "../../../src/emulator/faults";
import type { Config, Expr, ResourceConfig } from "./terraform-sim";

export type Operation =
  | { readonly kind: "apply" }
  | { readonly kind: "replace"; readonly address: string }
  | { readonly kind: "taint"; readonly address: string }
  | { readonly kind: "target"; readonly address: string }
  | { readonly kind: "refresh-only" }
  | { readonly kind: "import"; readonly address: string; readonly id: string };

export interface Case {
  readonly seed: EmulatorSeed;
  readonly before: Config;
  /** Out-of-band changes after the first apply: an instance's (or ENI's: `instanceId` an ENI ID) groups replaced. */
  readonly drift: readonly { readonly instanceId: string; readonly securityGroupIds: readonly string[] }[];
  readonly op: Operation;
  readonly after: Config;
  readonly fault?: ScriptedFault;
  /** After a failed apply: apply the same configuration again, or go back to the first one. */
  readonly recovery: "retry" | "revert";
  readonly maxRetries: number;
  /** The provider's protected_security_group_ids (empty: none). */
  readonly protected: readonly string[];
}

export const NORMAL_GROUPS = ["sg-a", "sg-b", "sg-c", "sg-d", "sg-f"];
/** Groups besides the normal ones of vpc-main: an enterprise group, one of another VPC, one that does not exist, a malformed ID. */
export const ODD_GROUPS = ["sg-ent", "sg-far", "sg-gone", "sg bad"];

/** Instance statuses drawn, one in nine odd each ("locked": Running, locked for security). */
const STATUSES = [
  "Running",
  "Running",
  "Running",
  "Running",
  "Running",
  "Running",
  "Stopped",
  "Starting",
  "locked",
];

const worldOf = (minInstances: number, minGroups: number, statuses: readonly string[] = STATUSES) =>
  fc
    .record({
      count: fc.integer({ min: minInstances, max: 3 }),
      groups: fc.array(fc.subarray(NORMAL_GROUPS, { minLength: minGroups, maxLength: 4 }), {
        minLength: 3,
        maxLength: 3,
      }),
      statuses: fc.array(fc.constantFrom(...statuses), { minLength: 3, maxLength: 3 }),
      limit: fc.constantFrom(5, 5, 5, 4, 3, 2, 1),
    })
    .map(({ count, groups, statuses, limit }): EmulatorSeed => ({
      regionId: "cn-hangzhou",
      accessKeys: [{ accessKeyId: "k", accessKeySecret: "s" }],
      maxSecurityGroupsPerInstance: Math.max(limit, ...groups.slice(0, count).map((g) => g.length)),
      securityGroups: [
        ...NORMAL_GROUPS.map((g) => ({ securityGroupId: g, vpcId: "vpc-main", type: "normal" as const })),
        { securityGroupId: "sg-ent", vpcId: "vpc-main", type: "enterprise" as const },
        { securityGroupId: "sg-far", vpcId: "vpc-other", type: "normal" as const },
      ],
      instances: Array.from({ length: count }, (_, n) => ({
        instanceId: `i-${n + 1}`,
        vpcId: "vpc-main",
        status: statuses[n] === "locked" ? ("Running" as const) : (statuses[n] as "Running"),
        lockReasons: statuses[n] === "locked" ? ["security" as const] : [],
        securityGroupIds: groups[n],
      })),
    }));

/** The ID an expression names, known now or only at apply. */
const idOf = (e: Expr | undefined): string | undefined =>
  typeof e === "string"
    ? e
    : e !== null && typeof e === "object" && "later" in e && typeof e.later === "string"
      ? e.later
      : undefined;

/** The cases name ENIs `eni-...` and instances `i-...`: the resource kinds follow the ID. */
const namesEni = (subject: Expr): boolean => idOf(subject)?.startsWith("eni-") === true;

/** An attachment resource of a case: `alisg_attachment`, or its ENI twin for an ENI ID. */
export const attachment = (
  name: string,
  subject: Expr,
  group: Expr,
  extra: Partial<ResourceConfig> = {},
): ResourceConfig =>
  namesEni(subject)
    ? {
        address: `alisg_network_interface_attachment.${name}`,
        type: "alisg_network_interface_attachment",
        attrs: { network_interface_id: subject, security_group_id: group },
        ...extra,
      }
    : {
        address: `alisg_attachment.${name}`,
        type: "alisg_attachment",
        attrs: { instance_id: subject, security_group_id: group },
        ...extra,
      };

/** An authoritative set resource of a case (of an ENI for an ENI ID). */
export const groupSet = (name: string, subject: Expr, groups: Expr): ResourceConfig =>
  namesEni(subject)
    ? {
        address: `alisg_network_interface_security_groups.${name}`,
        type: "alisg_network_interface_security_groups",
        attrs: { network_interface_id: subject, security_group_ids: groups },
      }
    : {
        address: `alisg_instance_security_groups.${name}`,
        type: "alisg_instance_security_groups",
        attrs: { instance_id: subject, security_group_ids: groups },
      };

/** The instance or ENI a resource of a case names. */
export const subjectOf = (r: ResourceConfig): Expr | undefined =>
  r.attrs.instance_id ?? r.attrs.network_interface_id;

const isAttachmentType = (r: ResourceConfig) =>
  r.type === "alisg_attachment" || r.type === "alisg_network_interface_attachment";

/** The resource with the instance or ENI it names replaced. */
const withSubject = (r: ResourceConfig, subject: Expr): ResourceConfig => ({
  ...r,
  attrs: {
    ...r.attrs,
    [r.type.startsWith("alisg_network_interface_") ? "network_interface_id" : "instance_id"]: subject,
  },
});

/** How the first configuration is drawn for each subject of the world: `mode` 0 nothing, 1 attachments, 2 a set. */
interface Pick {
  readonly mode: number;
  readonly drop: number;
  readonly extra: number;
  /** ENI worlds: which of an instance's resources name its primary ENI instead (one bit each). */
  readonly via?: number;
}

/** What a kind of world draws: the picks, the first configuration from them, what drifts out of band. */
interface Shape {
  readonly picks: (mode: fc.Arbitrary<number>) => fc.Arbitrary<Pick[]>;
  readonly before: (seed: EmulatorSeed, picks: readonly Pick[]) => Config;
  readonly driftTargets: (seed: EmulatorSeed) => string[];
}

const INSTANCE_SHAPE: Shape = {
  picks: (mode) =>
    fc.array(fc.record({ mode, drop: fc.nat(5), extra: fc.nat(5) }), { minLength: 3, maxLength: 3 }),
  before: (seed, picks) => beforeConfig(seed, picks),
  driftTargets: (seed) => (seed.instances ?? []).map((i) => i.instanceId),
};

/** What the first configuration manages per instance: nothing, attachments of some of its groups, or a set. */
function beforeConfig(seed: EmulatorSeed, picks: readonly Pick[]): Config {
  const resources: ResourceConfig[] = [];
  let n = 0;
  (seed.instances ?? []).forEach((inst, i) => {
    const { mode, drop, extra, via = 0 } = picks[i];
    const groups = inst.securityGroupIds ?? [];
    // ENI worlds: a resource may name the instance's primary ENI instead (the same list of groups).
    const primary = (seed.networkInterfaces ?? []).find(
      (e) => e.type === "Primary" && e.instanceId === inst.instanceId,
    )?.networkInterfaceId;
    const subject = (k: number) => (primary && (via >> k) & 1 ? primary : inst.instanceId);
    if (mode === 0) return;
    if (mode === 1) {
      const kept = groups.filter((_, k) => k !== drop % Math.max(groups.length, 1) || groups.length === 1);
      const more = extra % 3 === 0 ? [NORMAL_GROUPS[(extra + i) % NORMAL_GROUPS.length]] : [];
      [...new Set([...kept, ...more])].forEach((g, k) =>
        resources.push(attachment(`a${++n}`, subject(k), g)),
      );
    } else {
      resources.push(
        groupSet(`s${i + 1}`, subject(0), [...new Set([...groups, ...(extra % 2 ? ["sg-f"] : [])])]),
      );
    }
  });
  // Secondary ENIs (ENI worlds): picks after the three instances' ones.
  (seed.networkInterfaces ?? [])
    .filter((e) => e.type === "Secondary")
    .forEach((eni, j) => {
      const { mode, drop } = picks[3 + j] ?? { mode: 0, drop: 0 };
      const groups = eni.securityGroupIds ?? [];
      if (mode === 0) return;
      if (mode === 1) {
        for (const g of groups.filter((_, k) => k !== drop % groups.length || groups.length === 1))
          resources.push(attachment(`e${++n}`, eni.networkInterfaceId, g));
      } else resources.push(groupSet(`t${j + 1}`, eni.networkInterfaceId, [...groups]));
    });
  return { resources };
}

export type Mutation =
  | { readonly kind: "remove"; readonly pick: number }
  | { readonly kind: "add"; readonly instance: number; readonly group: number; readonly later: boolean }
  | { readonly kind: "move"; readonly pick: number; readonly group: number; readonly later: boolean }
  | { readonly kind: "reinstance"; readonly pick: number; readonly instance: number; readonly later: boolean }
  | { readonly kind: "rename"; readonly pick: number; readonly moved: boolean }
  | { readonly kind: "shift"; readonly instance: number }
  | { readonly kind: "retain"; readonly pick: number }
  | { readonly kind: "cbd"; readonly pick: number }
  | { readonly kind: "forget"; readonly pick: number }
  | { readonly kind: "duplicate"; readonly pick: number }
  | { readonly kind: "to-set"; readonly instance: number }
  | { readonly kind: "to-attachments"; readonly instance: number }
  | { readonly kind: "chain"; readonly pick: number; readonly group: number }
  | { readonly kind: "rename-all"; readonly moved: boolean }
  /** An attachment's twin of the other kind (instance ↔ its primary ENI), same group: beside it, or in its place. */
  | { readonly kind: "twin"; readonly pick: number; readonly keep: boolean }
  /** A set of the other kind for an instance's list (instance ↔ primary ENI): beside its resources, or in their place. */
  | { readonly kind: "twin-set"; readonly instance: number; readonly keep: boolean }
  /** A resource naming an ID of the other kind (an ENI ID as `instance_id`, an instance ID as `network_interface_id`). */
  | { readonly kind: "wrong-kind"; readonly pick: number; readonly subject: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat(9) }),
  fc.record({
    kind: fc.constant("add" as const),
    instance: fc.nat(3),
    group: fc.nat(12),
    later: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("move" as const), pick: fc.nat(9), group: fc.nat(12), later: fc.boolean() }),
  fc.record({
    kind: fc.constant("reinstance" as const),
    pick: fc.nat(9),
    instance: fc.nat(3),
    later: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("rename" as const), pick: fc.nat(9), moved: fc.boolean() }),
  fc.record({ kind: fc.constant("shift" as const), instance: fc.nat(2) }),
  fc.record({ kind: fc.constant("retain" as const), pick: fc.nat(9) }),
  fc.record({ kind: fc.constant("cbd" as const), pick: fc.nat(9) }),
  fc.record({ kind: fc.constant("forget" as const), pick: fc.nat(9) }),
  fc.record({ kind: fc.constant("duplicate" as const), pick: fc.nat(9) }),
  fc.record({ kind: fc.constant("to-set" as const), instance: fc.nat(2) }),
  fc.record({ kind: fc.constant("to-attachments" as const), instance: fc.nat(2) }),
  fc.record({ kind: fc.constant("chain" as const), pick: fc.nat(9), group: fc.nat(4) }),
  // Every resource renamed (a module refactor): a plan of twice as many changes as resources.
  fc.record({ kind: fc.constant("rename-all" as const), moved: fc.boolean() }),
);

const ALL_GROUPS = [...NORMAL_GROUPS, ...NORMAL_GROUPS, ...ODD_GROUPS];

/** The configuration after the mutations (applied in order; a mutation that does not fit is skipped). */
export function mutate(seed: EmulatorSeed, before: Config, mutations: readonly Mutation[]): Config {
  let resources = [...before.resources];
  const moved: { from: string; to: string }[] = [];
  const forget: string[] = [];
  // Instances, then ENIs (none in the instance-only cases).
  const instances = [
    ...(seed.instances ?? []).map((i) => i.instanceId),
    ...(seed.networkInterfaces ?? []).map((n) => n.networkInterfaceId),
  ];
  const primaries = (seed.networkInterfaces ?? []).filter((n) => n.type === "Primary" && n.instanceId);
  /** The other name of one list of groups: an instance's primary ENI, a primary ENI's instance. */
  const twinOf = (id: string | undefined): string | undefined =>
    primaries.find((n) => n.instanceId === id)?.networkInterfaceId ??
    primaries.find((n) => n.networkInterfaceId === id)?.instanceId ??
    undefined;
  let fresh = 0;
  const name = (prefix: string) => `${prefix}${20 + ++fresh}`;
  const attachments = () => resources.filter(isAttachmentType);
  const later = (v: string, yes: boolean): Expr => (yes ? { later: v } : v);
  const known = (e: Expr | undefined): string | undefined => (typeof e === "string" ? e : undefined);
  for (const m of mutations) {
    switch (m.kind) {
      case "remove": {
        const r = resources[m.pick % Math.max(resources.length, 1)];
        if (r) resources = resources.filter((x) => x !== r);
        break;
      }
      case "add": {
        const inst = instances[m.instance % instances.length] ?? "i-9";
        resources.push(
          attachment(
            name("a"),
            m.instance === 3 ? "i-9" : m.instance === 8 ? "eni-9" : inst,
            later(ALL_GROUPS[m.group % ALL_GROUPS.length], m.later),
          ),
        );
        break;
      }
      case "move": {
        const r = attachments()[m.pick % Math.max(attachments().length, 1)];
        if (!r) break;
        const g = later(ALL_GROUPS[m.group % ALL_GROUPS.length], m.later);
        resources = resources.map((x) =>
          x === r ? { ...x, attrs: { ...x.attrs, security_group_id: g } } : x,
        );
        break;
      }
      case "reinstance": {
        const r = attachments()[m.pick % Math.max(attachments().length, 1)];
        if (!r) break;
        const current = known(subjectOf(r));
        // Another subject of the same kind (an ENI attachment names an ENI).
        const pool = instances.filter((id) => namesEni(id) === namesEni(subjectOf(r) ?? null));
        const target = m.later && current ? current : pool[m.instance % pool.length];
        resources = resources.map((x) => (x === r ? withSubject(x, later(target, m.later)) : x));
        break;
      }
      case "rename": {
        const r = resources[m.pick % Math.max(resources.length, 1)];
        if (!r) break;
        const to = `${r.type}.${name(isAttachmentType(r) ? "a" : "s")}`;
        resources = resources.map((x) => (x === r ? { ...x, address: to } : x));
        if (m.moved) moved.push({ from: r.address, to });
        break;
      }
      case "shift": {
        // A count index shift: the instance's attachments each take the next one's group, the last is removed.
        const inst = instances[m.instance % instances.length];
        const own = attachments().filter((x) => subjectOf(x) === inst);
        if (own.length < 2) break;
        const groups = own.map((x) => x.attrs.security_group_id);
        resources = resources
          .filter((x) => x !== own[own.length - 1])
          .map((x) => {
            const k = own.indexOf(x);
            return k >= 0 ? { ...x, attrs: { ...x.attrs, security_group_id: groups[k + 1] } } : x;
          });
        break;
      }
      case "retain": {
        const r = attachments()[m.pick % Math.max(attachments().length, 1)];
        if (r)
          resources = resources.map((x) =>
            x === r ? { ...x, attrs: { ...x.attrs, retain_on_delete: true } } : x,
          );
        break;
      }
      case "cbd": {
        const r = resources[m.pick % Math.max(resources.length, 1)];
        if (r) resources = resources.map((x) => (x === r ? { ...x, createBeforeDestroy: true } : x));
        break;
      }
      case "forget": {
        const r = resources[m.pick % Math.max(resources.length, 1)];
        if (!r) break;
        resources = resources.filter((x) => x !== r);
        forget.push(r.address);
        break;
      }
      case "duplicate": {
        const r = attachments()[m.pick % Math.max(attachments().length, 1)];
        if (r)
          resources.push({
            ...r,
            address: `${r.type}.${name("a")}`,
            createBeforeDestroy: false,
            dependsOn: undefined,
          });
        break;
      }
      case "to-set": {
        const inst = instances[m.instance % instances.length];
        const own = attachments().filter((x) => subjectOf(x) === inst);
        const groups = [
          ...new Set(
            own.flatMap((x) =>
              typeof x.attrs.security_group_id === "string" ? [x.attrs.security_group_id] : [],
            ),
          ),
        ];
        if (own.length === 0 || groups.length === 0) break;
        resources = [...resources.filter((x) => !own.includes(x)), groupSet(name("s"), inst, groups)];
        break;
      }
      case "to-attachments": {
        const inst = instances[m.instance % instances.length];
        const set = resources.find((x) => !isAttachmentType(x) && subjectOf(x) === inst);
        const groups = set?.attrs.security_group_ids;
        if (!set || !Array.isArray(groups)) break;
        resources = [
          ...resources.filter((x) => x !== set),
          ...groups.map((g: string) => attachment(name("a"), inst, g)),
        ];
        break;
      }
      case "rename-all": {
        const renamed = resources.map((x) => ({
          ...x,
          address: `${x.type}.${name(isAttachmentType(x) ? "a" : "s")}`,
        }));
        if (m.moved) resources.forEach((x, k) => moved.push({ from: x.address, to: renamed[k].address }));
        resources = renamed;
        break;
      }
      case "chain": {
        // Two moves chained by depends_on: a takes b's group, b moves on.
        const list = attachments();
        const a = list[m.pick % Math.max(list.length, 1)];
        const b = list.find((x) => x !== a && subjectOf(x) === subjectOf(a));
        if (!a || !b) break;
        const next = NORMAL_GROUPS[m.group % NORMAL_GROUPS.length];
        resources = resources.map((x) =>
          x === a
            ? {
                ...x,
                attrs: { ...x.attrs, security_group_id: b.attrs.security_group_id },
                dependsOn: [b.address],
              }
            : x === b
              ? { ...x, attrs: { ...x.attrs, security_group_id: next } }
              : x,
        );
        break;
      }
      case "twin": {
        const r = attachments()[m.pick % Math.max(attachments().length, 1)];
        const other = r && twinOf(known(subjectOf(r)));
        if (!r || !other) break;
        const twin = attachment(name("a"), other, r.attrs.security_group_id);
        resources = m.keep ? [...resources, twin] : [...resources.filter((x) => x !== r), twin];
        break;
      }
      case "wrong-kind": {
        const r = resources[m.pick % Math.max(resources.length, 1)];
        const pool = r ? instances.filter((id) => namesEni(id) !== namesEni(subjectOf(r) ?? null)) : [];
        if (!r || pool.length === 0) break;
        resources = resources.map((x) => (x === r ? withSubject(x, pool[m.subject % pool.length]) : x));
        break;
      }
      case "twin-set": {
        const inst = instances[m.instance % instances.length];
        const other = twinOf(inst);
        const list = (seed.instances ?? []).find((i) => i.instanceId === (namesEni(inst) ? other : inst));
        if (!other || !list) break;
        const mine = (x: ResourceConfig) => [inst, other].includes(known(subjectOf(x)) ?? "");
        const groups = [
          ...new Set(
            resources.filter(mine).flatMap((x) => {
              const g = x.attrs.security_group_id ?? x.attrs.security_group_ids;
              return typeof g === "string" ? [g] : Array.isArray(g) ? [...(g as string[])] : [];
            }),
          ),
        ];
        const set = groupSet(name("s"), other, groups.length > 0 ? groups : (list.securityGroupIds ?? []));
        resources = m.keep ? [...resources, set] : [...resources.filter((x) => !mine(x)), set];
        break;
      }
    }
  }
  return { resources, ...(moved.length > 0 ? { moved } : {}), ...(forget.length > 0 ? { forget } : {}) };
}

/** Cases over worlds and first configurations the arbitraries give, changed by `mutations`. */
const casesOf = (
  world: fc.Arbitrary<EmulatorSeed>,
  mode: fc.Arbitrary<number>,
  mutations: fc.Arbitrary<Mutation[]>,
  faults: fc.Arbitrary<ScriptedFault | null> = fc.option(
    fc.record({
      action: fc.constantFrom("JoinSecurityGroup", "LeaveSecurityGroup"),
      fault: fc.constantFrom("lostResponse" as const, "serverError" as const, "forbidden" as const),
      skip: fc.nat(2),
    }),
    { freq: 4 },
  ),
  retries: fc.Arbitrary<number> = fc.constantFrom(0, 0, 2),
  protectedGroups: fc.Arbitrary<string[]> = fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 2, arbitrary: fc.subarray(NORMAL_GROUPS, { minLength: 1, maxLength: 2 }) },
  ),
  shape: Shape = INSTANCE_SHAPE,
): fc.Arbitrary<Case> =>
  fc
    .record({
      seed: world,
      picks: shape.picks(mode),
      mutations,
      drift: fc.option(
        fc.record({
          instance: fc.nat(2),
          groups: fc.subarray(NORMAL_GROUPS, { minLength: 1, maxLength: 3 }),
        }),
        { freq: 6 },
      ),
      op: fc.oneof(
        { weight: 8, arbitrary: fc.constant({ kind: "apply" as const }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(9) }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant("taint" as const), pick: fc.nat(9) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("target" as const), pick: fc.nat(9) }) },
        { weight: 1, arbitrary: fc.constant({ kind: "refresh-only" as const }) },
      ),
      fault: faults,
      maxRetries: retries,
      recovery: fc.constantFrom("retry" as const, "revert" as const),
      protectedGroups,
    })
    .map(({ seed, picks, mutations, drift, op, fault, maxRetries, recovery, protectedGroups }): Case => {
      const before = shape.before(seed, picks);
      const after = mutate(seed, before, mutations);
      const targets = shape.driftTargets(seed);
      const inState = before.resources.map((r) => r.address);
      const pickOf = (n: number) => inState[n % Math.max(inState.length, 1)];
      const operation: Operation =
        op.kind === "apply" || op.kind === "refresh-only" || inState.length === 0
          ? op.kind === "refresh-only"
            ? { kind: "refresh-only" }
            : { kind: "apply" }
          : { kind: op.kind, address: pickOf(op.pick) };
      return {
        seed,
        before,
        drift:
          drift && targets[drift.instance % targets.length]
            ? [
                {
                  instanceId: targets[drift.instance % targets.length],
                  securityGroupIds: drift.groups.slice(0, seed.maxSecurityGroupsPerInstance),
                },
              ]
            : [],
        op: operation,
        after,
        ...(fault ? { fault } : {}),
        recovery,
        maxRetries,
        protected: protectedGroups,
      };
    });

export const cases: fc.Arbitrary<Case> = casesOf(
  worldOf(1, 1),
  fc.nat(2),
  fc.array(mutation, { minLength: 1, maxLength: 6 }),
);

/**
 * Large plans: three instances with three or four groups, managed by
 * attachments, every resource renamed or each instance's attachments shifted,
 * then more mutations: many plans of more than eight changes.
 */
export const largeCases: fc.Arbitrary<Case> = casesOf(
  worldOf(3, 3),
  fc.constant(1),
  fc
    .tuple(
      fc.oneof(
        fc.constant<Mutation[]>([{ kind: "rename-all", moved: false }]),
        fc.constant<Mutation[]>([0, 1, 2].map((instance) => ({ kind: "shift" as const, instance }))),
      ),
      fc.array(mutation, { maxLength: 3 }),
    )
    .map(([first, more]) => [...first, ...more]),
);

/** The fault of the half-way cases: one Join or Leave (a Leave twice as often) fails, not retried. */
const oneFailedCall = fc.record({
  action: fc.constantFrom("JoinSecurityGroup", "LeaveSecurityGroup", "LeaveSecurityGroup"),
  fault: fc.constantFrom("serverError" as const, "forbidden" as const),
  skip: fc.constant(0),
});

/**
 * Failures half-way: attachments moved, added and removed, with a fault that
 * fails its call (no retries), then a retry or a revert.
 */
export const faultCases: fc.Arbitrary<Case> = casesOf(
  worldOf(1, 2),
  fc.constant(1),
  knownMutations(fc.record({ kind: fc.constant("chain" as const), pick: fc.nat(9), group: fc.nat(4) }), 2),
  oneFailedCall,
  fc.constant(0),
);

/**
 * One to four changes whose values are all known at plan time, for the cases
 * with a fault: a move, `other` (what the kind of case adds), a removal, and
 * an addition to one of `instances + 1` instances.
 */
function knownMutations<T>(other: fc.Arbitrary<T>, instances: number) {
  return fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant("move" as const),
        pick: fc.nat(9),
        group: fc.nat(9),
        later: fc.constant(false),
      }),
      other,
      fc.record({ kind: fc.constant("remove" as const), pick: fc.nat(9) }),
      fc.record({
        kind: fc.constant("add" as const),
        instance: fc.nat(instances),
        group: fc.nat(9),
        later: fc.constant(false),
      }),
    ),
    { minLength: 1, maxLength: 4 },
  );
}

/** A case in one line, for failure reports. */
export function describeCase(c: Case): string {
  return JSON.stringify(c);
}

/** `alicloud_instance` resources whose security_groups the changed configuration sets (check-plan's input). */
export const alicloudUpdates: fc.Arbitrary<{ instanceId: string; after: string[] }[]> = fc.array(
  fc.record({
    instanceId: fc.constantFrom("i-1", "i-2", "i-3"),
    after: fc.subarray([...NORMAL_GROUPS, "sg-ent"], { minLength: 1, maxLength: 3 }),
  }),
  { maxLength: 2 },
);

/**
 * The tainted-object blind spot with a protected group: an attachment of a
 * group the provider protects is tainted and, in the same plan, moved to
 * another group. Terraform plans the tainted object as a create, so the old
 * object's leave is first seen at apply, where the re-check right before the
 * Leave must refuse it.
 */
export const taintedProtectedCases: fc.Arbitrary<Case> = fc
  .record({
    seed: worldOf(1, 2),
    pick: fc.nat(3),
    to: fc.nat(4),
    taint: fc.boolean(),
  })
  .map(({ seed, pick, to, taint }): Case => {
    const inst = (seed.instances ?? [])[0];
    const groups = inst.securityGroupIds ?? [];
    const own = groups[pick % groups.length];
    const others = NORMAL_GROUPS.filter((g) => !groups.includes(g));
    const next = others[to % Math.max(others.length, 1)] ?? own;
    const before: Config = {
      resources: groups.map((g, k) => attachment(`a${k + 1}`, inst.instanceId, g)),
    };
    const address = `alisg_attachment.a${groups.indexOf(own) + 1}`;
    return {
      seed,
      before,
      drift: [],
      op: taint ? { kind: "taint", address } : { kind: "apply" },
      after: {
        resources: before.resources.map((r) =>
          r.address === address ? { ...r, attrs: { ...r.attrs, security_group_id: next } } : r,
        ),
      },
      recovery: "retry",
      maxRetries: 0,
      protected: [own],
    };
  });

/**
 * ENI worlds: the instances of `worldOf`, each with its primary ENI
 * (`eni-p<n>`, InUse, the instance's groups), and one or two secondary ENIs
 * (`eni-s<n>`) with groups of their own, attached to an instance (of any
 * status or lock; InUse, or attaching or detaching) or detached (Available,
 * or being created).
 */
const eniWorld = fc
  .record({
    // Fewer odd instances than in the instance-only worlds: the secondary ENIs bring statuses of their own.
    base: worldOf(1, 1, [...STATUSES, "Running", "Running", "Running", "Running"]),
    secondaries: fc.array(
      fc.record({
        host: fc.nat(3),
        groups: fc.subarray(NORMAL_GROUPS, { minLength: 1, maxLength: 3 }),
        attached: fc.constantFrom(
          "InUse",
          "InUse",
          "InUse",
          "InUse",
          "InUse",
          "InUse",
          "Attaching",
          "Detaching",
        ),
        detached: fc.constantFrom("Available", "Available", "Available", "Creating"),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map(({ base, secondaries }): EmulatorSeed => {
    const instances = base.instances ?? [];
    return {
      ...base,
      maxSecurityGroupsPerInstance: Math.max(
        base.maxSecurityGroupsPerInstance ?? 5,
        ...secondaries.map((e) => e.groups.length),
      ),
      networkInterfaces: [
        ...instances.map((inst, n) => ({
          networkInterfaceId: `eni-p${n + 1}`,
          instanceId: inst.instanceId,
          type: "Primary" as const,
          status: "InUse" as const,
          vpcId: "vpc-main",
        })),
        ...secondaries.map((e, n) => {
          const host = instances[e.host]?.instanceId ?? null;
          return {
            networkInterfaceId: `eni-s${n + 1}`,
            instanceId: host,
            type: "Secondary" as const,
            status: host ? e.attached : e.detached,
            vpcId: "vpc-main",
            securityGroupIds: e.groups,
          };
        }),
      ],
    };
  });

const ENI_SHAPE: Shape = {
  picks: (mode) =>
    fc.array(fc.record({ mode, drop: fc.nat(5), extra: fc.nat(5), via: fc.nat(15) }), {
      minLength: 5,
      maxLength: 5,
    }),
  before: (seed, picks) => beforeConfig(seed, picks),
  // The secondary ENIs first: the drift's pick reaches the first three.
  driftTargets: (seed) => [
    ...(seed.networkInterfaces ?? []).filter((e) => e.type === "Secondary").map((e) => e.networkInterfaceId),
    ...(seed.instances ?? []).map((i) => i.instanceId),
  ],
};

/** The mutations of ENI worlds: the general ones over every subject, and twins across kinds. */
const eniMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 10, arbitrary: mutation },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      instance: fc.nat(8),
      group: fc.nat(12),
      later: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("to-set" as const), instance: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("to-attachments" as const), instance: fc.nat(8) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("twin" as const),
      pick: fc.nat(9),
      keep: fc.constantFrom(false, false, true),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("wrong-kind" as const), pick: fc.nat(9), subject: fc.nat(7) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("twin-set" as const),
      instance: fc.nat(8),
      keep: fc.constantFrom(false, false, true),
    }),
  },
);

/**
 * ENI cases: secondary ENIs managed by the ENI resources, and instances
 * managed partly through their primary ENI (resources of both kinds for one
 * instance in one plan), changed by the general mutations over every subject
 * and by twins across kinds (a duplicate pair, a hand-off from one kind to
 * the other, a set beside or instead of the other kind's resources).
 */
export const eniCases: fc.Arbitrary<Case> = casesOf(
  eniWorld,
  fc.nat(2),
  fc.array(eniMutation, { minLength: 1, maxLength: 6 }),
  undefined,
  undefined,
  undefined,
  ENI_SHAPE,
);

/** ENI cases with a fault that fails one call (no retries), then a retry or a revert. */
export const eniFaultCases: fc.Arbitrary<Case> = casesOf(
  eniWorld,
  fc.constant(1),
  knownMutations(
    fc.record({ kind: fc.constant("twin" as const), pick: fc.nat(9), keep: fc.constant(false) }),
    8,
  ),
  oneFailedCall,
  fc.constant(0),
  undefined,
  ENI_SHAPE,
);

/** What a case exercises of ENIs, read from its seed and configurations. */
export interface EniKinds {
  /** A resource of a secondary ENI. */
  readonly secondary: boolean;
  /** Resources naming an instance and resources naming its primary ENI, in one configuration. */
  readonly primaryWithInstance: boolean;
  /** Any ENI resource. */
  readonly eni: boolean;
}

export function eniKindsOf(c: Case): EniKinds {
  const enis = c.seed.networkInterfaces ?? [];
  const named = (config: Config) =>
    config.resources.flatMap((r) => {
      const id = idOf(subjectOf(r));
      return id === undefined ? [] : [id];
    });
  const all = [...named(c.before), ...named(c.after)];
  const secondary = all.some((id) => enis.some((e) => e.networkInterfaceId === id && e.type === "Secondary"));
  const both = (config: Config) => {
    const ids = named(config);
    return enis.some(
      (e) => e.type === "Primary" && ids.includes(e.networkInterfaceId) && ids.includes(e.instanceId ?? ""),
    );
  };
  return {
    secondary,
    primaryWithInstance: both(c.before) || both(c.after),
    eni: all.some((id) => id.startsWith("eni-")),
  };
}

/** ENI cases where one resource names the other kind's ID (among other changes): for the mutation that unifies them. */
export const wrongKindCases: fc.Arbitrary<Case> = casesOf(
  eniWorld,
  fc.constant(1),
  fc
    .tuple(
      fc.array(eniMutation, { maxLength: 2 }),
      fc.record({ kind: fc.constant("wrong-kind" as const), pick: fc.nat(9), subject: fc.nat(7) }),
    )
    .map(([more, wrong]) => [...more, wrong]),
  undefined,
  undefined,
  undefined,
  ENI_SHAPE,
);
