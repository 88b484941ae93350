/**
 * Runs one generated case through the simulated Terraform and the real
 * provider, and judges what happened from the emulator's record of calls and
 * states and from the state Terraform would store. Nothing here asks
 * `src/membership/` for an answer: the oracle is the emulator (ECS), the
 * configuration (what should hold) and the plan's own words (its warnings).
 *
 * - A plan accepted ⇒ in every order explored: the apply makes no error, ECS
 *   ends with every declared membership (and each authoritative set exact),
 *   the state is true to ECS (nothing tainted, deposed or pending, every
 *   object true), the next plan changes nothing, no instance reaches zero
 *   groups, and no group is left for a moment that the configuration keeps
 *   unless the plan warned about it.
 * - A plan refused ⇒ warranted: the configuration or state holds a conflict
 *   the product documents (one pair in two resources, an instance under both
 *   kinds, two sets, a malformed ID, an instance or group that does not exist,
 *   a status or lock ECS refuses), or applying it anyway (the provider's own
 *   apply-time refusals set aside, so that ECS judges each call) fails or ends
 *   untrue in some order.
 * - A fault in one call ⇒ after the failed apply, the state is true to ECS and
 *   records every group the apply joined; the next apply converges.
 * - Subjects: an instance, or an ENI. An instance and its primary ENI are one
 *   list of groups in ECS (read from the emulator's state, ./subjects.ts): every
 *   pair, duplicate, mixed kind, lapse and zero-group check keys them as one.
 * - Protected groups (the case's protected_security_group_ids) ⇒ no apply the
 *   provider accepted ever asks ECS to take one away from an instance that is
 *   in it, in any order run; and a refusal with ProtectedSecurityGroup names
 *   an instance and group that the plan gives up: one of its changes drops
 *   the pair, or some order of the plan, applied anyway, asks to leave it.
 */
import { createRequire } from "node:module";
import type { EmulatorState } from "../../../src/emulator/state";
import type { ObjectValue, Value } from "../../../src/provider/plugin/types";
import { engineClient, engineOf, type MutationRecord } from "../../support/engine-ecs";
import type { Case } from "./cases";
import {
  configValues,
  errors,
  orders,
  Terraform,
  type AddressedDiagnostic,
  type Config,
  type Plan,
  type ResourceConfig,
  type ResourceType,
} from "./terraform-sim";
import {
  exists,
  gateCodes,
  groupsOf,
  idAttributeOf,
  isAttachment,
  listOf,
  listOfValues,
  listsOf,
  namedId,
  namesOf,
} from "./subjects";

export interface CaseReport {
  /** What went wrong; empty: the case holds. */
  readonly problems: string[];
  readonly stats: CaseStats;
}

export interface CaseStats {
  /** The plan of the changed configuration was refused. */
  refused: boolean;
  /** Its error codes (refused) or warning codes (accepted). */
  codes: string[];
  /** Apply orders run (forced ones included). */
  orders: number;
  /** A fault met a call and the apply failed. */
  faulted: boolean;
  /** The first apply was refused. */
  beforeRefused: boolean;
  /** Changes (not no-ops) in the plan of the changed configuration. */
  changes: number;
}

export interface RunOptions {
  /** Orders explored per plan (all of them when fewer). */
  readonly maxOrders: number;
  /** Check `alisg check-plan` on the plan too (see check-plan.ts). */
  readonly checkPlan?: (
    tf: Terraform,
    plan: Plan,
    config: Config,
  ) => Promise<{ refused: boolean; codes: string[] }>;
  /** The groups the provider protects (set from the case). */
  readonly protectedGroups?: readonly string[];
}

export async function runCase(c: Case, given: RunOptions): Promise<CaseReport> {
  const options: RunOptions = { ...given, protectedGroups: c.protected };
  const problems: string[] = [];
  const stats: CaseStats = {
    refused: false,
    codes: [],
    orders: 0,
    faulted: false,
    beforeRefused: false,
    changes: 0,
  };
  const engine = engineOf(c.seed);
  // The provider is told the account's group quota, as a user with a quota other than 5 must.
  const tf = new Terraform(
    engine,
    providerBlock(c.maxRetries, c.seed.maxSecurityGroupsPerInstance ?? 5, c.protected),
  );

  // 1. The first configuration, applied in one order.
  const p0 = await tf.plan(c.before);
  if (p0.refused) {
    stats.beforeRefused = true;
    problems.push(...(await warranted(tf, p0, c.before, options)).map((p) => `first apply: ${p}`));
    return { problems, stats };
  }
  const r0 = await tf.applyPlan(p0, c.before, orders(tf.applyNodes(p0), 1)[0]);
  problems.push(...applied(tf, c.before, r0.diagnostics).map((p) => `first apply: ${p}`));
  if (problems.length > 0) return { problems, stats };

  // 2. Out-of-band changes, then the operation.
  for (const d of c.drift) patchGroups(engine.state(), engine, d.instanceId, d.securityGroupIds);
  if (c.op.kind === "taint" && tf.state.get(c.op.address)?.current) tf.taint(c.op.address);
  if (c.op.kind === "refresh-only") await tf.refreshOnly(c.after);
  const targets = c.op.kind === "target" ? [c.op.address] : undefined;
  const p1 = await tf.plan(c.after, {
    replace: c.op.kind === "replace" ? [c.op.address] : undefined,
    target: targets,
  });
  stats.refused = p1.refused;
  stats.changes = p1.changes.filter((ch) => ch.action !== "noop").length;
  stats.codes = codes(p1.diagnostics, p1.refused ? "error" : "warning");
  if (options.checkPlan) {
    const gate = await options.checkPlan(tf, p1, c.after);
    if (gate.refused && !p1.refused) {
      problems.push(
        ...(await warranted(tf, p1, c.after, options)).map(
          (p) => `check-plan refused (${gate.codes.join(", ")}): ${p}`,
        ),
      );
    }
    if (!gate.refused && p1.refused) {
      // check-plan passes what the provider refuses: applying it must then be safe.
      const forced = await explore(tf, p1, c.after, options, stats, true);
      if (forced.length > 0)
        problems.push(
          `check-plan passed a plan the provider refused (${stats.codes.join(", ")}) that fails: ${forced[0]}`,
        );
    }
  }
  if (p1.refused) {
    problems.push(...(await warranted(tf, p1, c.after, options)));
    return { problems, stats };
  }

  // 3. Every order (up to the bound), each from the same point.
  const world = engine.state();
  for (const order of chooseOrders(tf, p1, options.maxOrders)) {
    stats.orders++;
    const e = engineOf(world);
    const run = tf.fork(e);
    if (c.fault) e.faults.configure({ ...e.faults.current(), script: [c.fault] });
    const start = e.state();
    const r = await run.applyPlan(p1, c.after, order);
    const tag = `order [${order.join(" → ")}]`;
    const unseen = blindSpot(c, tf);
    const lapses = unwarnedLapses(start, run.mutations, c.after, p1, targets, unseen);
    const late = checkedAtApply(c, tf, run, start, r.diagnostics);
    if (late.length > 0) {
      stats.codes.push(...codes(late, "error").map((x) => `at apply: ${x}`));
      problems.push(...stateTrue(run, start, c.after, targets).map((p) => `${tag}, refused at apply: ${p}`));
      problems.push(
        ...leftProtected(run.mutations, c.protected).map((p) => `${tag}, refused at apply: ${p}`),
      );
      continue;
    }
    if (r.failed && c.fault && e.faults.current().script.length === 0) {
      stats.faulted = true;
      problems.push(...stateTrue(run, start, c.after, targets).map((p) => `${tag}, after the fault: ${p}`));
      e.faults.configure({ ...e.faults.current(), script: [] });
      // With values known only at apply, or after -target, or going back to the first configuration
      // (out-of-band changes came since), the configuration was never judged whole: a refusal may be right.
      const next = c.recovery === "revert" ? c.before : c.after;
      const judged = hasLateValues(next) || targets || c.recovery === "revert" ? options : undefined;
      problems.push(
        ...(await converges(run, next, judged, start)).map(
          (p) => `${tag}, the next apply (${c.recovery}): ${p}`,
        ),
      );
      problems.push(...leftProtected(run.mutations, c.protected).map((p) => `${tag}, with a fault: ${p}`));
      continue;
    }
    problems.push(...applied(run, c.after, r.diagnostics, targets).map((p) => `${tag}: ${p}`));
    problems.push(...removedGone(run, p1, c.after).map((p) => `${tag}: ${p}`));
    problems.push(...lapses.map((p) => `${tag}: ${p}`));
    problems.push(...leftProtected(run.mutations, c.protected).map((p) => `${tag}: ${p}`));
    if (problems.length > 0) break;
    if (targets) {
      // The targeted plan judged only its targets: the full plan may rightly refuse the rest.
      e.faults.configure({ ...e.faults.current(), script: [] });
      problems.push(
        ...(await converges(run, c.after, options)).map((p) => `${tag}, the full apply after -target: ${p}`),
      );
    } else {
      problems.push(...(await nextPlanClean(run, c.after, options)).map((p) => `${tag}: ${p}`));
    }
    problems.push(...leftProtected(run.mutations, c.protected).map((p) => `${tag}, the apply after: ${p}`));
    if (problems.length > 0) break;
  }
  return { problems, stats };
}

export function providerBlock(
  maxRetries: number,
  maxGroups: number,
  protectedGroups: readonly string[] = [],
): ObjectValue {
  return {
    region: "cn-hangzhou",
    access_key: "k",
    secret_key: "s",
    security_token: null,
    profile: null,
    endpoint: "http://127.0.0.1:1",
    max_retries: maxRetries,
    read_timeout: null,
    max_security_groups_per_instance: maxGroups,
    protected_security_group_ids: protectedGroups.length > 0 ? [...protectedGroups] : null,
  };
}

/**
 * Leave calls asking ECS to take a protected group from an instance that was
 * in it (made, or refused by ECS), as `instance:group`: what the policy
 * forbids, judged from the emulator's record alone.
 */
function protectedLeavePairs(
  mutations: readonly MutationRecord[],
  protectedGroups: readonly string[] = [],
): string[] {
  return [
    ...new Set(
      mutations
        .filter(
          (m) =>
            m.action === "LeaveSecurityGroup" &&
            protectedGroups.includes(m.securityGroupId) &&
            m.groupsBefore.includes(m.securityGroupId),
        )
        .map((m) => `${m.listId}:${m.securityGroupId}`),
    ),
  ];
}

/** Problems for every protected group an accepted apply asked to leave. */
function leftProtected(mutations: readonly MutationRecord[], protectedGroups: readonly string[]): string[] {
  return protectedLeavePairs(mutations, protectedGroups).map((pair) => {
    const [instance, group] = pair.split(":");
    return `${instance} was asked to leave ${group}, a protected group`;
  });
}

/**
 * Protected pairs ECS has now that a change of the plan gives up: an object
 * holding the group on the instance (its group, a pending group, a set's
 * list) whose new object does not declare it there (or may not: a value
 * known only at apply), or a set whose new list leaves out a protected group
 * the instance is in. Forgetting gives nothing up (retain_on_delete, a
 * removed block, a set's delete).
 */
function protectedDrops(plan: Plan, world: EmulatorState, protectedGroups: readonly string[]): Set<string> {
  const drops = new Set<string>();
  const has = (instance: Value | undefined, g: string) =>
    typeof instance === "string" && protectedGroups.includes(g) && groupsOf(world, instance)?.includes(g);
  const holdsOf = (type: ResourceType, v: ObjectValue | null): Value[] =>
    !v
      ? []
      : isAttachment(type)
        ? [v.security_group_id, ...sorted(v.pending_security_group_ids)]
        : Array.isArray(v.security_group_ids)
          ? [...(v.security_group_ids as Value[])]
          : [];
  for (const ch of plan.changes) {
    if (ch.action === "noop" || ch.action === "forget") continue;
    const forgets =
      ch.action === "delete" && (!isAttachment(ch.type) || ch.before?.retain_on_delete === true);
    if (forgets) continue;
    const after = ch.after;
    const keeps = (instance: Value | undefined, g: string) =>
      after !== null && namedId(ch.type, after) === instance && holdsOf(ch.type, after).includes(g);
    const before = ch.before ? namedId(ch.type, ch.before) : undefined;
    for (const g of holdsOf(ch.type, ch.before)) {
      if (typeof g === "string" && has(before, g) && !keeps(before, g))
        drops.add(`${listOf(world, String(before))}:${g}`);
    }
    if (!isAttachment(ch.type) && after && Array.isArray(after.security_group_ids)) {
      for (const g of protectedGroups) {
        if (has(namedId(ch.type, after), g) && !(after.security_group_ids as Value[]).includes(g))
          drops.add(`${listOfValues(world, ch.type, after)}:${g}`);
      }
    }
  }
  return drops;
}

/** The ProtectedSecurityGroup refusals that name no pair of `left` (instance and group both named). */
function unfoundedProtected(
  refusals: readonly { summary: string }[],
  left: ReadonlySet<string>,
  world: EmulatorState,
): { summary: string }[] {
  return refusals.filter(
    (d) =>
      d.summary.startsWith("ProtectedSecurityGroup: ") &&
      ![...left].some((pair) => {
        const [list, group] = pair.split(":");
        return namesOf(world, list).some((id) => named(d.summary, id)) && named(d.summary, group);
      }),
  );
}

/** `id` appears in `text` as a whole word (i-1 is not named by i-10). */
function named(text: string, id: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_-])${id.replace(/[^A-Za-z0-9]/g, "\\$&")}($|[^A-Za-z0-9_-])`).test(text);
}

/**
 * The orders to run: every order when few; else the two extremes (every
 * destroy first, every destroy last), then random whole-node orders (one
 * node's events together), then random finer interleavings.
 */
function chooseOrders(tf: Terraform, plan: Plan, max: number, extra: readonly string[] = []): string[][] {
  const nodes = tf.applyNodes(plan, extra);
  const all = orders(nodes, max + 1);
  if (all.length <= max) return all;
  let seed = nodes.length * 7919 + max;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const atomic = (order: readonly string[]) => order.filter((id, k) => order.indexOf(id) === k);
  const destroys = (id: string) => id.startsWith("destroy ");
  const seen = new Set<string>();
  const out: string[][] = [];
  const add = (order: string[]) => {
    const key = order.join("|");
    if (seen.has(key)) return;
    seen.add(key);
    out.push(order);
  };
  add(wholeNodes(nodes, prioritized(nodes, destroys)));
  add(
    wholeNodes(
      nodes,
      prioritized(nodes, (id) => !destroys(id)),
    ),
  );
  for (const order of orders(nodes, max * 20, random)) {
    if (out.length >= max) break;
    add(out.length < max * 0.75 ? wholeNodes(nodes, atomic(order)) : order);
  }
  return out;
}

/** The nodes in an order their dependencies allow, those `first` picks as early as they can be. */
function prioritized(nodes: ReturnType<Terraform["applyNodes"]>, first: (id: string) => boolean): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const runnable = nodes.filter((n) => !done.has(n.id) && n.after.every((a) => done.has(a)));
    const next = runnable.find((n) => first(n.id)) ?? runnable[0];
    done.add(next.id);
    order.push(next.id);
  }
  return order;
}

function wholeNodes(nodes: ReturnType<Terraform["applyNodes"]>, sequence: readonly string[]): string[] {
  return sequence.flatMap((id) => Array.from({ length: nodes.find((n) => n.id === id)!.events }, () => id));
}

/** The configuration's values at apply, per resource. */
function declared(
  config: Config,
  targets?: readonly string[],
): { rc: ResourceConfig; values: Record<string, Value> }[] {
  return config.resources
    .filter((rc) => !targets || targets.includes(rc.address))
    .map((rc) => ({ rc, values: configValues(rc, "apply") }));
}

/** A successful apply: no error, declared memberships in ECS, the state true and complete. */
function applied(
  tf: Terraform,
  config: Config,
  diagnostics: readonly AddressedDiagnostic[],
  targets?: readonly string[],
  /** Instances whose end is not judged (a warned conflict with another provider). */
  skip: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  const world = tf.engine.state();
  for (const d of diagnostics.filter((x) => x.severity === "error"))
    problems.push(`apply error at ${d.address}: ${d.summary}`);
  if (problems.length > 0) return problems;
  for (const { rc, values } of declared(config, targets)) {
    const instance = String(namedId(rc.type, values));
    if (skip.has(instance)) continue;
    const e = tf.state.get(rc.address);
    if (!e?.current) {
      problems.push(`${rc.address} is not in the state`);
      continue;
    }
    if (e.current.tainted) problems.push(`${rc.address} is tainted`);
    if (e.deposed.size > 0) problems.push(`${rc.address} has deposed objects`);
    const live = groupsOf(world, instance);
    const v = e.current.value;
    if (isAttachment(rc.type)) {
      const g = String(values.security_group_id);
      const stored = namedId(rc.type, v);
      if (stored !== instance || v.security_group_id !== g)
        problems.push(
          `${rc.address} state is ${String(stored)}:${v.security_group_id}, not ${instance}:${g}`,
        );
      if (v.pending_security_group_ids !== null)
        problems.push(`${rc.address} has pending groups ${JSON.stringify(v.pending_security_group_ids)}`);
      if (!live?.includes(g))
        problems.push(`${instance} is not in ${g} (${rc.address}); it is in ${JSON.stringify(live)}`);
    } else {
      const want = [...(values.security_group_ids as string[])].sort();
      if (JSON.stringify(sorted(v.security_group_ids)) !== JSON.stringify(want))
        problems.push(
          `${rc.address} state lists ${JSON.stringify(v.security_group_ids)}, not ${JSON.stringify(want)}`,
        );
      if (JSON.stringify([...(live ?? [])].sort()) !== JSON.stringify(want))
        problems.push(
          `${instance} is in ${JSON.stringify(live)}, not exactly ${JSON.stringify(want)} (${rc.address})`,
        );
    }
  }
  const kept = new Set([
    ...declared(config).map((d) => d.rc.address),
    ...(targets ? [...tf.state.keys()].filter((a) => !targets.includes(a)) : []),
  ]);
  for (const address of tf.state.keys())
    if (!kept.has(address)) problems.push(`${address} is still in the state`);
  return problems;
}

/**
 * The documented blind spot: Terraform plans a tainted object as a create,
 * with no prior state, so the provider never sees the old object's delete at
 * plan time. When the new object does not declare the old pair (the
 * configuration changed it, or it is known only at apply), that delete leaves
 * the pair unwarned; check-plan, which sees the replacement, judges it. The
 * pairs of such tainted objects.
 *
 * Its twin for `-replace`: Terraform does not tell the provider of the
 * replacement in the first planning call (an update, or no change), and drops
 * the warnings of the second (terraform's plan: only errors of the
 * replacement's call are kept). When the new object's instance or group is
 * known only at apply, the old object's delete cannot know whether the new
 * one takes its pair back, and the warning the provider gives for that is not
 * shown. The old pair of such a replaced object.
 */
function blindSpot(c: Case, tf: Terraform): Set<string> {
  const address = taintedAddress(c) ?? replacedLate(c);
  if (!address) return new Set();
  const v = tf.state.get(address)?.current?.value;
  const rc = c.after.resources.find((r) => r.address === address);
  if (!v || !rc) return new Set();
  const now = configValues(rc, "plan");
  const same = namedId(rc.type, now) === namedId(rc.type, v) && now.security_group_id === v.security_group_id;
  return same
    ? new Set()
    : new Set([`${listOfValues(tf.engine.state(), rc.type, v)}:${v.security_group_id}`]);
}

/** The address of the object the case replaces (`-replace`) when its new object has a value known only at apply. */
function replacedLate(c: Case): string | undefined {
  if (c.op.kind !== "replace") return undefined;
  const replaced = c.op.address;
  const address = c.after.moved?.find((m) => m.from === replaced)?.to ?? replaced;
  return knownOnlyAtApply(c.after, address) ? address : undefined;
}

/** The address of the object the case taints, after its moved blocks. */
function taintedAddress(c: Case): string | undefined {
  if (c.op.kind !== "taint") return undefined;
  const tainted = c.op.address;
  return c.after.moved?.find((m) => m.from === tainted)?.to ?? tainted;
}

/** Another resource on the same instance had a value known only at apply (its join was not counted at plan). */
function lateOnSameInstance(config: Config, address: string, world: EmulatorState): boolean {
  const rc = config.resources.find((r) => r.address === address);
  if (!rc) return false;
  const instance = listOfValues(world, rc.type, configValues(rc, "apply"));
  return config.resources.some(
    (r) =>
      r.address !== address &&
      knownOnlyAtApply(config, r.address) &&
      listOfValues(world, r.type, configValues(r, "apply")) === instance,
  );
}

/**
 * The apply's errors when every one is documented as checked at apply: a
 * value known only at apply (its own, or another resource's on the same
 * instance, whose join was not counted at plan), what such a value reveals
 * (the configuration, with the value known, really holds that conflict), or
 * the blind spot of a tainted object. Empty otherwise.
 */
function checkedAtApply(
  c: Case,
  tf: Terraform,
  run: Terraform,
  start: EmulatorState,
  diagnostics: readonly AddressedDiagnostic[],
): AddressedDiagnostic[] {
  const errorsOf = diagnostics.filter((d) => d.severity === "error");
  if (errorsOf.length === 0) return [];
  const unseen = blindSpot(c, tf);
  const conflicts = documentedReasons(run, settled(c.after), start);
  const unseenInstances = new Set([...unseen].map((pair) => pair.split(":")[0]));
  const late = errorsOf.filter((d) => {
    const code = d.summary.split(":")[0];
    // Only the rules' refusals: an API error (a fault) is never "checked at apply".
    if (!RULE_CODES.has(code)) return false;
    return (
      knownOnlyAtApply(c.after, d.address) ||
      lateOnSameInstance(c.after, d.address, start) ||
      (unseen.size > 0 &&
        (d.address === taintedAddress(c) || unseenInstances.has(instanceOf(c.after, d.address, start)))) ||
      (hasLateValues(c.after) && conflicts.get(code) === true)
    );
  });
  return late.length === errorsOf.length ? late : [];
}

/** The codes of the safety rules and of the whole-plan judge (DESIGN.md "Safety rules", "The whole plan"). */
const RULE_CODES = new Set([
  "InstanceLastSecurityGroup",
  "IncorrectInstanceStatus",
  "IncorrectNetworkInterfaceStatus",
  "InstanceLockedForSecurity",
  "InvalidSecurityGroupId.NotFound",
  "InvalidInstanceId.NotFound",
  "InvalidEniId.NotFound",
  "InvalidInstanceId.Mismatch",
  "InvalidOperation.MultiGroupType",
  "InstanceSecurityGroupLimitExceeded",
  "InvalidInstanceId.Malformed",
  "InvalidSecurityGroupId.Malformed",
  "DuplicateAttachment",
  "DuplicateInstanceSecurityGroups",
  "MixedMembershipResources",
  "ProtectedSecurityGroup",
]);

function instanceOf(config: Config, address: string, world: EmulatorState): string {
  const rc = config.resources.find((r) => r.address === address);
  return rc ? listOfValues(world, rc.type, configValues(rc, "apply")) : "";
}

function hasLateValues(config: Config): boolean {
  return config.resources.some((rc) => knownOnlyAtApply(config, rc.address));
}

function knownOnlyAtApply(config: Config, address: string): boolean {
  const rc = config.resources.find((r) => r.address === address);
  return (
    rc !== undefined &&
    Object.values(rc.attrs).some((v) => v !== null && typeof v === "object" && "later" in v)
  );
}

function sorted(v: Value | undefined): string[] {
  return Array.isArray(v) ? [...(v as string[])].sort() : [];
}

/**
 * Every object in the state holds what it says, and every group the apply
 * added is recorded. Tainted objects are replaced next; an attachment that
 * records the pair the configuration declares but ECS lacks (its old group was
 * taken over by another resource, its own join failed) is drift the next
 * refresh drops and the next plan joins again.
 */
function stateTrue(
  tf: Terraform,
  start: EmulatorState,
  config?: Config,
  targets?: readonly string[],
  /** Pairs another provider declares (an alicloud_instance's security_groups): it joins them, not alisg. */
  elsewhere: readonly string[] = [],
): string[] {
  const world = tf.engine.state();
  const intended = new Set(
    config
      ? declared(settled(config))
          .filter(({ rc }) => isAttachment(rc.type))
          .map(
            ({ rc, values }) =>
              `${rc.address}|${listOfValues(world, rc.type, values)}:${values.security_group_id}`,
          )
      : [],
  );
  const problems: string[] = [];
  // Each answer of the apply was true when it was given (later steps may change ECS again: the
  // next refresh sees that, as for any resource).
  for (const a of tf.answers) {
    const v = a.state;
    if (!v || (targets && !targets.includes(a.address))) continue;
    // A failed create that returned an object is tainted: the next apply replaces it.
    if (a.failed && tf.state.get(a.address)?.current?.tainted === true) continue;
    const instance = listOf(world, String(v.instance_id ?? v.network_interface_id));
    if ("security_group_id" in v) {
      const drift = intended.has(`${a.address}|${instance}:${v.security_group_id}`);
      if (!drift && !a.groupsThen?.includes(String(v.security_group_id)))
        problems.push(
          `${a.address} was recorded as ${instance}:${v.security_group_id}, which ECS did not have then (${JSON.stringify(a.groupsThen)})`,
        );
      for (const g of sorted(v.pending_security_group_ids)) {
        if (a.groupsThen && !a.groupsThen.includes(g))
          problems.push(
            `${a.address} was recorded as also holding ${instance}:${g}, which ECS did not have then`,
          );
      }
    } else if (
      JSON.stringify([...(a.groupsThen ?? [])].sort()) !== JSON.stringify(sorted(v.security_group_ids))
    ) {
      problems.push(
        `${a.address} was recorded as ${JSON.stringify(v.security_group_ids)}, ECS had ${JSON.stringify(a.groupsThen)} then`,
      );
    }
  }
  const recorded = new Set<string>();
  for (const [, e] of tf.state) {
    for (const obj of [e.current, ...e.deposed.values()]) {
      if (!obj) continue;
      const v = obj.value;
      const holds = isAttachment(e.type)
        ? [String(v.security_group_id), ...sorted(v.pending_security_group_ids)]
        : sorted(v.security_group_ids);
      holds.forEach((g) => recorded.add(`${listOfValues(world, e.type, v)}:${g}`));
    }
  }
  // A group joined for a resource that the configuration declares is adopted by the next apply,
  // if no state object records it now (the old half of a replacement joined it for a new object
  // that was never made).
  const declaredPairs = config ? pairsOf(config, world) : new Set<string>();
  for (const pair of elsewhere) declaredPairs.add(pair);
  for (const list of listsOf(world)) {
    const before = groupsOf(start, list.id) ?? [];
    for (const g of list.groups) {
      const pair = `${list.id}:${g}`;
      if (!before.includes(g) && !recorded.has(pair) && !declaredPairs.has(pair))
        problems.push(`${list.id} joined ${g} in this apply and no state object records it`);
    }
  }
  return problems;
}

/**
 * The configuration in the next run: values that were known only at apply
 * are known by then (the resources they come from exist).
 */
function settled(config: Config): Config {
  return {
    ...config,
    resources: config.resources.map((rc) => ({
      ...rc,
      attrs: Object.fromEntries(
        Object.entries(rc.attrs).map(([k, v]) => [
          k,
          v !== null && typeof v === "object" && "later" in v ? v.later : v,
        ]),
      ),
    })),
  };
}

/**
 * The next plan (a new provider process, the same configuration) changes
 * nothing. With values that were known only at apply, the configuration is
 * judged whole for the first time now: a warranted refusal is fine.
 */
async function nextPlanClean(tf: Terraform, config: Config, options?: RunOptions): Promise<string[]> {
  const p = await tf.plan(settled(config));
  if (p.refused && options && hasLateValues(config)) return warranted(tf, p, settled(config), options);
  const problems = p.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `the next plan is refused at ${d.address}: ${d.summary}`);
  for (const ch of p.changes)
    if (ch.action !== "noop") problems.push(`the next plan would ${ch.action} ${ch.address}`);
  return problems;
}

/**
 * The next apply, without faults, is accepted, makes the configuration true
 * and leaves a clean plan. Where the state left two resources holding one
 * pair (a failed removal whose group another resource then took, a `-target`
 * apply), the plan may refuse, naming the fix: forget the removed one (a
 * `removed` block with `destroy = false`); the fix is applied and must then
 * converge. With `options`, any other refusal is fine when it is warranted
 * (the configuration was never judged whole before).
 */
async function converges(
  tf: Terraform,
  config: Config,
  options?: RunOptions,
  since?: EmulatorState,
  round = 1,
): Promise<string[]> {
  config = settled(config);
  let p = await tf.plan(config);
  const fixed = p.refused ? forgetFix(tf, config, p) : undefined;
  if (fixed) {
    config = fixed;
    p = await tf.plan(config);
  }
  if (p.refused && options) return warranted(tf, p, config, options);
  if (p.refused)
    return [
      `refused: ${p.diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => `${d.address}: ${d.summary}`)
        .join("; ")}`,
    ];
  const r = await tf.applyPlan(p, config, orders(tf.applyNodes(p), 1)[0]);
  const problems = [...applied(tf, config, r.diagnostics), ...removedGone(tf, p, config)];
  if (since) problems.push(...leftBehind(tf, config, since, p));
  // The blind spot (a tainted object whose pair the configuration changed: its delete was not seen at
  // plan time) may leave another resource's group; that resource's refresh finds it missing and the
  // apply after joins it again.
  if (problems.length > 0 && taintedAndChanged(p) && round === 1)
    return converges(tf, config, options, since, 2);
  return problems.length > 0 ? problems : nextPlanClean(tf, config, options);
}

/** The plan replaces a tainted object whose new object declares another pair. */
function taintedAndChanged(plan: Plan): boolean {
  return plan.changes.some(
    (ch) =>
      ch.reason === "tainted" &&
      isAttachment(ch.type) &&
      (namedId(ch.type, ch.before ?? {}) !== namedId(ch.type, ch.after ?? {}) ||
        ch.before?.security_group_id !== ch.after?.security_group_id),
  );
}

/**
 * The pairs the plan removes (a deleted attachment, the old pair of a move or
 * a replacement) are gone from ECS, unless the configuration declares them
 * (a hand-off) or the removal forgets (retain_on_delete, a removed block).
 */
function removedGone(tf: Terraform, plan: Plan, config: Config): string[] {
  const world = tf.engine.state();
  const declaredPairs = pairsOf(config, world);
  const problems: string[] = [];
  for (const ch of plan.changes) {
    const v = ch.before;
    if (!v || !isAttachment(ch.type) || ch.action === "forget" || ch.action === "noop") continue;
    if (v.retain_on_delete === true) continue;
    if (
      ch.action === "update" &&
      ch.after?.security_group_id === v.security_group_id &&
      namedId(ch.type, ch.after) === namedId(ch.type, v) &&
      !Array.isArray(v.pending_security_group_ids)
    )
      continue;
    const list = listOfValues(world, ch.type, v);
    for (const g of [String(v.security_group_id), ...sorted(v.pending_security_group_ids)]) {
      const pair = `${list}:${g}`;
      if (declaredPairs.has(pair)) continue;
      if (groupsOf(world, list)?.includes(g))
        problems.push(`${ch.address} was to remove ${pair}, and ECS still has it`);
    }
  }
  return problems;
}

/**
 * Groups an apply since `since` added that the configuration does not declare
 * and that were not forgotten on purpose (retain_on_delete, a removed block
 * in `plan`): left unmanaged.
 */
function leftBehind(tf: Terraform, config: Config, since: EmulatorState, plan: Plan): string[] {
  const world = tf.engine.state();
  const declaredPairs = pairsOf(config, world);
  const forgotten = new Set(
    plan.changes
      .filter(
        // A set's delete forgets it too: the instance keeps its groups (documented).
        (ch) =>
          ch.action === "forget" ||
          (ch.action === "delete" && (ch.before?.retain_on_delete === true || !isAttachment(ch.type))),
      )
      .flatMap((ch) => {
        const v = ch.before!;
        const groups =
          "security_group_id" in v
            ? [String(v.security_group_id), ...sorted(v.pending_security_group_ids)]
            : sorted(v.security_group_ids);
        return groups.map((g) => `${listOfValues(world, ch.type, v)}:${g}`);
      }),
  );
  return listsOf(world).flatMap((list) =>
    list.groups
      .filter((g) => {
        const pair = `${list.id}:${g}`;
        return !groupsOf(since, list.id)?.includes(g) && !declaredPairs.has(pair) && !forgotten.has(pair);
      })
      .map(
        (g) => `${list.id} is in ${g}, which alisg joined in the failed apply and no configuration declares`,
      ),
  );
}

/** The list:group pairs the configuration declares, at apply (a primary ENI's under its instance). */
function pairsOf(config: Config, world: EmulatorState): Set<string> {
  return new Set(
    declared(settled(config)).flatMap(({ rc, values }) =>
      (isAttachment(rc.type) ? [values.security_group_id] : (values.security_group_ids as string[])).map(
        (g) => `${listOfValues(world, rc.type, values)}:${g}`,
      ),
    ),
  );
}

/**
 * The fix a refusal names, applied: the resources that only the state still
 * has, whose pair another resource of the configuration declares, forgotten
 * with a `removed` block; a resource that moves on from a pair another
 * resource holds, removed from the state (`terraform state rm`). Returns the
 * configuration to plan with, undefined when the refusal names no such fix or
 * there is nothing to do.
 */
function forgetFix(tf: Terraform, config: Config, plan: Plan): Config | undefined {
  const refusals = plan.diagnostics.filter(
    (d) => d.severity === "error" && /^(DuplicateAttachment|MixedMembershipResources):/.test(d.summary),
  );
  const names = (fix: RegExp) => refusals.some((d) => fix.test(d.detail ?? ""));
  const inConfig = new Map(config.resources.map((r) => [r.address, r]));
  const world = tf.engine.state();
  const kept = pairsOf(config, world);
  const holders = (pair: string, not: string) =>
    [...tf.state].filter(
      ([a, e]) =>
        a !== not &&
        e.current &&
        `${listOfValues(world, e.type, e.current.value)}:${e.current.value.security_group_id}` === pair,
    ).length > 0;
  const forget: string[] = [];
  let removed = false;
  for (const [address, e] of [...tf.state]) {
    const v = e.current?.value;
    if (!v || !isAttachment(e.type)) continue;
    const pair = `${listOfValues(world, e.type, v)}:${v.security_group_id}`;
    const rc = inConfig.get(address);
    if (!rc && kept.has(pair) && names(/`removed` block/)) forget.push(address);
    const moves =
      rc &&
      `${listOfValues(world, rc.type, configValues(rc, "apply"))}:${configValues(rc, "apply").security_group_id}` !==
        pair;
    if (moves && kept.has(pair) && holders(pair, address) && names(/terraform state rm <address>/)) {
      tf.state.delete(address);
      removed = true;
    }
  }
  if (forget.length === 0 && !removed) return undefined;
  return { ...config, forget: [...(config.forget ?? []), ...forget] };
}

/**
 * Leaves that took a group away for a while: the instance was in it when the
 * apply began and the configuration declares it at the end, and no warning of
 * the plan names that instance and group.
 */
function unwarnedLapses(
  start: EmulatorState,
  mutations: readonly MutationRecord[],
  config: Config,
  plan: Plan,
  targets?: readonly string[],
  unseen: ReadonlySet<string> = new Set(),
): string[] {
  const keeps = new Set<string>();
  for (const { rc, values } of declared(config, targets)) {
    const groups = isAttachment(rc.type)
      ? [values.security_group_id]
      : (values.security_group_ids as string[]);
    for (const g of groups) keeps.add(`${listOfValues(start, rc.type, values)}:${g}`);
  }
  const warned = plan.diagnostics.filter((d) => d.severity === "warning");
  const problems: string[] = [];
  for (const m of mutations) {
    if (m.action !== "LeaveSecurityGroup") continue;
    if (!m.groupsBefore.includes(m.securityGroupId) || m.groupsAfter.includes(m.securityGroupId)) continue;
    if (!groupsOf(start, m.listId)?.includes(m.securityGroupId)) continue;
    if (!keeps.has(`${m.listId}:${m.securityGroupId}`)) continue;
    if (unseen.has(`${m.listId}:${m.securityGroupId}`)) continue;
    const named = warned.some(
      (w) =>
        w.summary.includes(m.securityGroupId) &&
        namesOf(start, m.listId).some((id) => w.summary.includes(id)),
    );
    if (!named)
      problems.push(
        `${m.listId} left ${m.securityGroupId}, which the configuration keeps, and the plan did not warn about it`,
      );
  }
  for (const m of mutations) {
    if (m.groupsAfter.length === 0) problems.push(`${m.listId} was left with no security group`);
  }
  return problems;
}

/** ECS refused the call for a reason other than "already so" (a join of a group it is in, a leave of one it is not). */
function refusedByEcs(m: MutationRecord): boolean {
  return (
    m.httpStatus !== 200 &&
    m.code !== "InvalidSecurityGroupAssociation.NotFound" &&
    m.code !== "InvalidInstanceId.AlreadyExists"
  );
}

function codes(d: readonly AddressedDiagnostic[], severity: "error" | "warning"): string[] {
  return [...new Set(d.filter((x) => x.severity === severity).map((x) => x.summary.split(":")[0]))].sort();
}

/**
 * Documented reasons a refusal needs no failing order: conflicts in the
 * configuration and state, and per-call facts. An instance and its primary
 * ENI are one list of groups (read from the emulator's state): two resources
 * of either kind for one pair are a duplicate, a set on one and any resource
 * on the other are mixed kinds.
 */
function documentedReasons(tf: Terraform, config: Config, world: EmulatorState): Map<string, boolean> {
  const reasons = new Map<string, boolean>();
  const values = declared(config).filter(({ rc, values }) => typeof namedId(rc.type, values) === "string");
  const listOfRc = (rc: ResourceConfig, v: Record<string, Value>) => listOfValues(world, rc.type, v);
  const pairs = new Map<string, string[]>();
  const kinds = new Map<string, Set<string>>();
  for (const { rc, values: v } of values) {
    const list = listOfRc(rc, v);
    kinds.set(list, new Set([...(kinds.get(list) ?? []), rc.type]));
    if (isAttachment(rc.type) && typeof v.security_group_id === "string") {
      const key = `${list}:${v.security_group_id}`;
      pairs.set(key, [...(pairs.get(key) ?? []), rc.address]);
    }
  }
  if ([...pairs.values()].some((a) => a.length > 1)) reasons.set("DuplicateAttachment", true);
  const hasSet = (k: ReadonlySet<string>) => [...k].some((t) => !isAttachment(t as ResourceType));
  for (const k of kinds.values()) if (k.size > 1 && hasSet(k)) reasons.set("MixedMembershipResources", true);
  const sets = values.filter((x) => !isAttachment(x.rc.type)).map((x) => listOfRc(x.rc, x.values));
  if (new Set(sets).size < sets.length) reasons.set("DuplicateInstanceSecurityGroups", true);
  // A pair still held in the state by a resource the plan removes (or moves away), that another resource declares already.
  const inConfig = new Map(values.map((x) => [x.rc.address, x]));
  const stateKey = (e: { type: ResourceType }, v: ObjectValue) =>
    `${listOfValues(world, e.type, v)}:${v.security_group_id}`;
  for (const [address, e] of tf.state) {
    const v = e.current?.value;
    if (!v || !isAttachment(e.type)) continue;
    const mine = inConfig.get(address);
    const key = stateKey(e, v);
    const stays = mine && `${listOfRc(mine.rc, mine.values)}:${mine.values.security_group_id}` === key;
    if (stays) continue;
    const others = (pairs.get(key) ?? []).filter((a) => {
      const other = tf.state.get(a);
      return a !== address && other?.current !== undefined && stateKey(other, other.current.value) === key;
    });
    if (others.length > 0) reasons.set("DuplicateAttachment", true);
    if (hasSet(kinds.get(listOfValues(world, e.type, v)) ?? new Set()))
      reasons.set("MixedMembershipResources", true);
  }
  const ids = values.flatMap(({ rc, values: v }) => [
    namedId(rc.type, v),
    v.security_group_id,
    ...((v.security_group_ids as string[] | undefined) ?? []),
  ]);
  if (ids.some((id) => typeof id === "string" && !/^[A-Za-z0-9_-]{1,64}$/.test(id))) {
    reasons.set("InvalidSecurityGroupId.Malformed", true);
    reasons.set("InvalidInstanceId.Malformed", true);
  }
  const groups = new Set(world.securityGroups.map((g) => g.securityGroupId));
  const gated = (id: Value | undefined) => {
    if (typeof id !== "string") return;
    for (const code of gateCodes(world, id)) reasons.set(code, true);
  };
  for (const { rc, values: v } of values) {
    const id = namedId(rc.type, v) as string;
    if (!exists(world, rc.type, id))
      reasons.set(
        idAttributeOf(rc.type) === "instance_id" ? "InvalidInstanceId.NotFound" : "InvalidEniId.NotFound",
        true,
      );
    for (const g of [v.security_group_id, ...((v.security_group_ids as string[] | undefined) ?? [])]) {
      if (typeof g === "string" && !groups.has(g)) reasons.set("InvalidSecurityGroupId.NotFound", true);
    }
    gated(id);
  }
  for (const [, e] of tf.state) if (e.current) gated(namedId(e.type, e.current.value));
  return reasons;
}

/**
 * A documented reason that needs no failing order: the leave of a replaced
 * object whose new object is known only at apply would empty the instance
 * for some value it may take (another instance, or delete-first), which the
 * plan cannot rule out. Only where the configuration does hold such a value.
 */
function possibleOnly(summary: string, config: Config): boolean {
  return (
    /^InstanceLastSecurityGroup: .* is replaced by an object whose instance or group is known only at apply\)$/.test(
      summary,
    ) && hasLateValues(config)
  );
}

/**
 * Why a refused plan deserved it; empty when it did, else the unwarranted
 * refusals. A ProtectedSecurityGroup refusal deserves it only when some order
 * explored, applied anyway, asks to leave the group it names from the
 * instance it names.
 */
async function warranted(tf: Terraform, plan: Plan, config: Config, options: RunOptions): Promise<string[]> {
  const refusals = plan.diagnostics.filter((d) => d.severity === "error");
  const reasons = documentedReasons(tf, config, tf.engine.state());
  const unexplained = refusals.filter(
    (d) => !reasons.get(d.summary.split(":")[0]) && !possibleOnly(d.summary, config),
  );
  if (unexplained.length === 0) return [];
  const protectedOnes = unexplained.filter((d) => d.summary.startsWith("ProtectedSecurityGroup: "));
  if (protectedOnes.length > 0) {
    const left = protectedDrops(plan, tf.engine.state(), options.protectedGroups ?? []);
    const probe = { maxOrders: options.maxOrders, protectedGroups: options.protectedGroups, left };
    const variants = [plan, flippedReplacements(plan), withoutDependsOn(plan)];
    for (const v of variants) await explore(tf, v, config, probe, newStats(), true);
    const unfounded = unfoundedProtected(protectedOnes, left, tf.engine.state());
    if (unfounded.length > 0)
      return [
        `refused without reason: ${unfounded.map((d) => d.summary).join("; ")} (no change of the plan gives that group up, and no order explored leaves it)`,
      ];
    if (protectedOnes.length === unexplained.length) return [];
  }
  // The other refusals are judged by what ECS does, a protected group left set aside.
  const others = unexplained.filter((d) => !protectedOnes.includes(d));
  options = { ...options, protectedGroups: [] };
  const stats = newStats();
  if ((await explore(tf, plan, config, options, stats, true)).length > 0) return [];
  // The provider is not told create_before_destroy: it judges a replacement in either order.
  const flipped = flippedReplacements(plan);
  if (
    flipped.changes.some((ch) => ch.action === "replace") &&
    (await explore(tf, flipped, config, options, stats, true)).length > 0
  ) {
    return [];
  }
  // Nor is it told depends_on: it judges every order, also those the dependencies rule out.
  const free = withoutDependsOn(plan);
  if (
    plan.changes.some((ch) => ch.config?.dependsOn) &&
    (await explore(tf, free, config, options, stats, true)).length > 0
  ) {
    return [];
  }
  // Before calling a refusal unfounded, look further than the bound: the failing order may be a rare one.
  const wider = { ...options, maxOrders: options.maxOrders * 5 };
  for (const variant of [plan, flipped, free]) {
    if ((await explore(tf, variant, config, wider, stats, true)).length > 0) return [];
  }
  return [
    `refused without reason: ${others.map((d) => `${d.address}: ${d.summary}`).join("; ")} (every order explored applies cleanly)`,
  ];
}

function newStats(): CaseStats {
  return { refused: true, codes: [], orders: 0, faulted: false, beforeRefused: false, changes: 0 };
}

/** The plan with every replacement's order the other way round. */
function flippedReplacements(plan: Plan): Plan {
  return {
    ...plan,
    changes: plan.changes.map((ch) =>
      ch.action === "replace" ? { ...ch, createBeforeDestroy: !ch.createBeforeDestroy } : ch,
    ),
  };
}

/** The plan with its depends_on dropped (every order the resources alone allow). */
function withoutDependsOn(plan: Plan): Plan {
  return {
    ...plan,
    changes: plan.changes.map((ch) =>
      ch.config?.dependsOn ? { ...ch, config: { ...ch.config, dependsOn: undefined } } : ch,
    ),
  };
}

/**
 * Applies the plan in the orders chosen, as if it had passed: the provider's
 * apply-time refusals are set aside so that ECS itself judges every call.
 * Returns what went wrong in the first order that failed (a protected group
 * asked to leave included). With `options.left`, every order is run and the
 * protected pairs each asked to leave are collected there.
 */
async function explore(
  tf: Terraform,
  plan: Plan,
  config: Config,
  options: RunOptions & { left?: Set<string> },
  stats: CaseStats,
  force: boolean,
): Promise<string[]> {
  const world = tf.engine.state();
  const restore = force ? letEcsJudge() : () => {};
  try {
    for (const order of chooseOrders(tf, plan, options.maxOrders)) {
      stats.orders++;
      const run = tf.fork(engineOf(world));
      const r = await run.applyPlan(plan, config, order, { force });
      const ecsRefused = run.mutations.filter(refusedByEcs);
      const problems = [
        ...ecsRefused.map(
          (m) =>
            `ECS refused ${m.action} ${m.networkInterfaceId ?? m.instanceId} ${m.securityGroupId}: ${m.code}`,
        ),
        ...r.diagnostics
          .filter(
            (d) =>
              d.severity === "error" &&
              !/^(InstanceLastSecurityGroup|InstanceSecurityGroupLimitExceeded|InvalidOperation\.MultiGroupType):/.test(
                d.summary,
              ),
          )
          .map((d) => `apply error at ${d.address}: ${d.summary}`),
        ...applied(run, config, [], plan.targets),
        ...leftProtected(run.mutations, options.protectedGroups ?? []),
      ];
      if (options.left) {
        for (const pair of protectedLeavePairs(run.mutations, options.protectedGroups))
          options.left.add(pair);
        continue;
      }
      if (problems.length > 0) return problems;
    }
    return [];
  } finally {
    restore();
  }
}

/**
 * While exploring a refused plan: the provider's apply-time re-check makes
 * every call the step asks for (joins first, then leaves), so that the
 * emulator, not the provider, says whether ECS would refuse it.
 */
function letEcsJudge(): () => void {
  const req = createRequire(__filename);
  const decision = req(
    "../../../src/membership/decision",
  ) as typeof import("../../../src/membership/decision");
  const rules = req(
    "../../../src/membership/rules/subject",
  ) as typeof import("../../../src/membership/rules/subject");
  const spy = jest.spyOn(decision, "decideMembership").mockImplementation((facts, changes) => {
    const byInstance = new Map<string, (typeof changes)[number][]>();
    for (const ch of changes) byInstance.set(ch.instanceId, [...(byInstance.get(ch.instanceId) ?? []), ch]);
    const operations = [...byInstance].flatMap(([instanceId, own]) => {
      const s = rules.subjectOf(facts, instanceId, own);
      return [
        ...s.joins.map((g) => ({ action: "join" as const, instanceId, securityGroupId: g })),
        ...s.leaves.map((g) => ({ action: "leave" as const, instanceId, securityGroupId: g })),
      ];
    });
    return { plans: [], refusals: [], notes: [], operations };
  });
  return () => spy.mockRestore();
}

/** An out-of-band change: the groups of an instance (with its primary ENI) or of an ENI replaced. */
function patchGroups(
  world: EmulatorState,
  engine: ReturnType<typeof engineOf>,
  id: string,
  groups: readonly string[],
): void {
  const list = listOf(world, id);
  engine.replaceState({
    ...world,
    instances: world.instances.map((i) =>
      i.instanceId === list ? { ...i, securityGroupIds: [...groups] } : i,
    ),
    networkInterfaces: world.networkInterfaces.map((n) =>
      listOf(world, n.networkInterfaceId) === list ? { ...n, securityGroupIds: [...groups] } : n,
    ),
  });
}

export { errors };

/** An `alicloud_instance` of the case: its security_groups become `after` in the changed configuration. */
export interface AlicloudSpec {
  readonly instanceId: string;
  readonly after: readonly string[];
}

/**
 * `alisg check-plan` held to the same cases: the plan of the changed
 * configuration (with `alicloud_instance` updates beside it) in the shape of
 * `terraform show -json`, read and judged by the real command's modules on
 * the engine's facts. Accepted ⇒ applying it (the alicloud provider's calls
 * made as that provider makes them: removed groups left first, then new ones
 * joined, one call each, errors ignored) is safe in every order explored;
 * refused ⇒ warranted.
 */
export async function runGateCase(
  c: Case,
  alicloud: readonly AlicloudSpec[],
  options: RunOptions,
): Promise<CaseReport> {
  const { checkPlans } = await import("../../../src/gitops/gate");
  const { readPlan } = await import("../../../src/gitops/plan-reader");
  const { planJson } = await import("./plan-json");
  const problems: string[] = [];
  const stats: CaseStats = {
    refused: false,
    codes: [],
    orders: 0,
    faulted: false,
    beforeRefused: false,
    changes: 0,
  };
  const engine = engineOf(c.seed);
  const maxGroups = c.seed.maxSecurityGroupsPerInstance ?? 5;
  const tf = new Terraform(engine, providerBlock(c.maxRetries, maxGroups, c.protected));
  const p0 = await tf.plan(c.before);
  if (p0.refused) {
    stats.beforeRefused = true;
    return { problems, stats };
  }
  await tf.applyPlan(p0, c.before, orders(tf.applyNodes(p0), 1)[0]);
  for (const d of c.drift) patchGroups(engine.state(), engine, d.instanceId, d.securityGroupIds);
  if (c.op.kind === "taint" && tf.state.get(c.op.address)?.current) tf.taint(c.op.address);
  const p1 = await tf.plan(c.after, { replace: c.op.kind === "replace" ? [c.op.address] : undefined });
  const world = engine.state();
  const updates = alicloud.flatMap((a, n) => {
    const now = groupsOf(world, a.instanceId);
    // An instance whose security_groups stay as they are makes no change check-plan judges (documented),
    // and two alicloud_instance resources for one instance are one too many for this case.
    const same = now && now.length === a.after.length && now.every((g) => a.after.includes(g));
    const twice = alicloud.findIndex((x) => x.instanceId === a.instanceId) !== n;
    return now && !same && !twice
      ? [{ address: `alicloud_instance.vm${n}`, instanceId: a.instanceId, before: now, after: a.after }]
      : [];
  });
  const report = await checkPlans(
    [readPlan(planJson(p1, updates), "plan.json")],
    engineClient(engine),
    maxGroups,
    { protectedSecurityGroupIds: c.protected },
  );
  const refused = report.findings.some((f) => f.severity === "error");
  stats.refused = refused;
  stats.codes = [
    ...new Set(
      report.findings.filter((f) => f.severity === (refused ? "error" : "warning")).map((f) => f.code),
    ),
  ].sort();
  const extra = (run: Terraform) =>
    new Map(
      updates.map((u) => [
        `alicloud ${u.address}`,
        async () => {
          // The alicloud provider: leaves the removed groups first, then joins the new ones; it ignores refusals.
          for (const g of u.before.filter((x) => !u.after.includes(x)))
            await alicloudCall(run, "LeaveSecurityGroup", u.instanceId, g);
          for (const g of u.after.filter((x) => !u.before.includes(x)))
            await alicloudCall(run, "JoinSecurityGroup", u.instanceId, g);
        },
      ]),
    );
  const fighting = new Set(
    report.findings
      .filter((f) => f.code === "AlicloudInstanceConflict" && f.severity === "warning")
      .map((f) => f.instanceId),
  );
  /**
   * Runs the orders; with `left`, runs them all and collects the protected
   * pairs each asked to leave; `policy`: a protected group left is a problem.
   */
  const runOrders = async (force: boolean, left?: Set<string>, policy = true): Promise<string[]> => {
    const restore = force ? letEcsJudge() : () => {};
    try {
      for (const order of chooseOrders(
        tf,
        p1,
        options.maxOrders,
        updates.map((u) => `alicloud ${u.address}`),
      )) {
        stats.orders++;
        const run = tf.fork(engineOf(world));
        const start = run.engine.state();
        const r = await run.applyPlan(p1, c.after, order, { force, extra: extra(run) });
        const tag = `order [${order.join(" → ")}]`;
        if (!force && checkedAtApply(c, tf, run, start, r.diagnostics).length > 0) {
          const untrue = stateTrue(
            run,
            start,
            c.after,
            undefined,
            updates.flatMap((u) => u.after.map((g) => `${u.instanceId}:${g}`)),
          );
          if (untrue.length > 0) return untrue.map((p) => `${tag}, refused at apply: ${p}`);
          continue;
        }
        const found = [
          ...run.mutations
            .filter(refusedByEcs)
            .map(
              (m) =>
                `ECS refused ${m.action} ${m.networkInterfaceId ?? m.instanceId} ${m.securityGroupId}: ${m.code}`,
            ),
          ...(force
            ? []
            : r.diagnostics
                .filter((d) => d.severity === "error")
                .map((d) => `apply error at ${d.address}: ${d.summary}`)),
          ...applied(run, c.after, [], undefined, fighting),
          ...updates.flatMap((u) => {
            const live = [...(groupsOf(run.engine.state(), u.instanceId) ?? [])].sort();
            // Warned: an alisg resource known only at apply may land on the instance and fight.
            const warned = report.findings.some(
              (f) => f.code === "AlicloudInstanceConflict" && f.instanceId === u.instanceId,
            );
            if (warned) return [];
            return JSON.stringify(live) === JSON.stringify([...u.after].sort())
              ? []
              : [
                  `${u.address} declares ${JSON.stringify(u.after)}, ${u.instanceId} is in ${JSON.stringify(live)}`,
                ];
          }),
          ...(force ? [] : gateLapses(start, run.mutations, c.after, updates, report.findings)),
          ...(policy ? leftProtected(run.mutations, c.protected) : []),
        ];
        if (left) {
          for (const pair of protectedLeavePairs(run.mutations, c.protected)) left.add(pair);
          continue;
        }
        if (found.length > 0) return found.map((p) => `${tag}: ${p}`);
      }
      return [];
    } finally {
      restore();
    }
  };
  if (refused) {
    const reasons = documentedReasons(tf, c.after, world);
    const alisgInstances = new Set(
      c.after.resources.map((r) => listOfValues(world, r.type, configValues(r, "apply"))),
    );
    if (
      updates.some((u) => alisgInstances.has(u.instanceId)) ||
      new Set(updates.map((u) => u.instanceId)).size < updates.length
    ) {
      reasons.set("AlicloudInstanceConflict", true);
    }
    const unexplained = report.findings.filter(
      (f) => f.severity === "error" && !reasons.get(f.code) && !possibleOnly(f.summary, c.after),
    );
    const protectedOnes = unexplained.filter((f) => f.code === "ProtectedSecurityGroup");
    if (protectedOnes.length > 0) {
      const left = protectedDrops(p1, world, c.protected);
      for (const u of updates)
        for (const g of u.before.filter((x) => !u.after.includes(x) && c.protected.includes(x)))
          left.add(`${u.instanceId}:${g}`);
      await runOrders(true, left);
      const unfounded = protectedOnes.filter((f) => !left.has(`${f.instanceId}:${f.securityGroupId}`));
      if (unfounded.length > 0)
        problems.push(
          `check-plan refused without reason: ${unfounded.map((f) => f.summary).join("; ")} (no change of the plan gives that group up, and no order explored leaves it)`,
        );
    }
    const others = unexplained.filter((f) => f.code !== "ProtectedSecurityGroup");
    // The other refusals are judged by what ECS does, a protected group left set aside.
    if (others.length > 0 && (await runOrders(true, undefined, false)).length === 0) {
      problems.push(`check-plan refused without reason: ${others.map((f) => f.summary).join("; ")}`);
    }
    return { problems, stats };
  }
  problems.push(
    ...(await runOrders(p1.refused)).map((p) =>
      p1.refused ? `check-plan passed a plan the provider refused, and it fails: ${p}` : p,
    ),
  );
  return { problems, stats };
}

async function alicloudCall(
  run: Terraform,
  action: string,
  instanceId: string,
  securityGroupId: string,
): Promise<void> {
  const engine = run.engine;
  const groups = () =>
    engine.state().instances.find((i) => i.instanceId === instanceId)?.securityGroupIds ?? [];
  const before = groups();
  const r = await engine.callInProcess(action, {
    RegionId: engine.state().regionId,
    InstanceId: instanceId,
    SecurityGroupId: securityGroupId,
  });
  run.mutations.push({
    action,
    instanceId,
    listId: instanceId,
    securityGroupId,
    httpStatus: r.httpStatus,
    code: r.httpStatus === 200 ? null : String(r.body.Code),
    groupsBefore: before,
    groupsAfter: groups(),
  });
}

/** Lapses of groups kept by alisg or an alicloud_instance that check-plan did not warn about. */
function gateLapses(
  start: EmulatorState,
  mutations: readonly MutationRecord[],
  config: Config,
  updates: readonly { instanceId: string; after: readonly string[] }[],
  findings: readonly { severity: string; summary: string }[],
): string[] {
  const keeps = new Set(updates.flatMap((u) => u.after.map((g) => `${u.instanceId}:${g}`)));
  for (const g of pairsOf(config, start)) keeps.add(g);
  const warned = findings.filter((f) => f.severity === "warning");
  return mutations.flatMap((m) =>
    m.action === "LeaveSecurityGroup" &&
    m.groupsBefore.includes(m.securityGroupId) &&
    !m.groupsAfter.includes(m.securityGroupId) &&
    groupsOf(start, m.listId)?.includes(m.securityGroupId) &&
    keeps.has(`${m.listId}:${m.securityGroupId}`) &&
    !warned.some(
      (w) =>
        w.summary.includes(m.securityGroupId) &&
        namesOf(start, m.listId).some((id) => w.summary.includes(id)),
    )
      ? [
          `${m.listId} left ${m.securityGroupId}, which the configuration keeps, and check-plan did not warn about it`,
        ]
      : [],
  );
}
