import type { Facts } from "../../src/membership/types";
import type { Finding, PlanJudgement, ResourceChange } from "../../src/membership/resource-change";
import {
  exploreScript,
  hasUnknown,
  scriptsOf,
  untrueClaims,
  type InstanceOutcome,
  type InstanceScript,
} from "./apply-simulator";
import type { PlanCase } from "./plan-arbitraries";

/** Anything with `judgePlan`'s signature: the model, or a deliberately broken copy of it. */
export type Judge = (facts: Facts, changes: readonly ResourceChange[]) => PlanJudgement;

/** Refusals that only some orders of the apply would meet (the others are structural or per-call). */
export function isOrderDependent(f: Finding): boolean {
  if (f.severity !== "error") return false;
  if (f.code === "InstanceLastSecurityGroup" || f.code === "InstanceSecurityGroupLimitExceeded") return true;
  return isStillDeclares(f) || isJoinsUnlisted(f);
}

/** The "would make ... join ..., which ... does not list" kind: an order ends with a complete list untrue. */
export function isJoinsUnlisted(f: Finding): boolean {
  return (
    ["DuplicateAttachment", "MixedMembershipResources", "AlicloudInstanceConflict"].includes(f.code) &&
    / would make \S+ join \S+, which .* does not list$/.test(f.summary)
  );
}

/** The "would make ... leave ..., which ... still declares" kind: an order ends with a declaration untrue. */
export function isStillDeclares(f: Finding): boolean {
  return (
    ["DuplicateAttachment", "MixedMembershipResources", "AlicloudInstanceConflict"].includes(f.code) &&
    / would make \S+ leave \S+, which .* still declares$/.test(f.summary)
  );
}

/** What one case showed: the properties it breaks (none: all hold) and what was explored. */
export interface Examination {
  readonly problems: string[];
  readonly judgement: PlanJudgement;
  readonly outcomes: InstanceOutcome[];
  /** Instances with steps and no error finding / with an error finding. */
  readonly instancesAccepted: number;
  readonly instancesRefused: number;
}

/**
 * Judges the case with `judge`, replays every order of every instance's steps
 * against the simulator, and checks the model's answer against what happened:
 * - accepted instance: no order refuses a call or empties the instance, and
 *   every order that completes ends with every declaration true (ECS and the
 *   state records after each step);
 * - order-dependent refusal: some order meets it;
 * - MembershipHandOff: some order leaves the handed-off group for a moment,
 *   and it names exactly the resources that may leave the group (and ones
 *   declaring it); and a declared group present before that some order
 *   leaves for a moment is always reported (a MembershipHandOff naming it, or
 *   an error for the instance);
 * - UnlistedSecurityGroups: exactly for a set applied over groups it does not list;
 * - `unknown`: exactly the changes with a value unknown until apply;
 * - every finding's summary begins with its code and names its instance, and
 *   its resources are keys of the changes, sorted, with their labels.
 */
export function examine(judge: Judge, c: PlanCase): Examination {
  const judgement = judge(c.facts, c.changes);
  const problems: string[] = [];
  const expectedUnknown = c.changes.filter(hasUnknown).map((x) => x.resource);
  const gotUnknown = judgement.unknown.map((x) => x.resource);
  if ([...expectedUnknown].sort().join() !== [...gotUnknown].sort().join()) {
    problems.push(`unknown: expected [${expectedUnknown}], got [${gotUnknown}]`);
  }
  const scripts = scriptsOf(c.changes, judgement.keepOnDelete);
  const outcomes: InstanceOutcome[] = [];
  let instancesAccepted = 0;
  let instancesRefused = 0;

  for (const [instanceId, script] of [...scripts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const o = exploreScript(c.facts, script);
    outcomes.push(o);
    const findings = judgement.findings.filter((f) => f.instanceId === instanceId);
    const errors = findings.filter((f) => f.severity === "error");
    const where = `${instanceId} (in ${o.initial}, limit ${c.facts.instances.get(instanceId)!.maxSecurityGroups})`;
    if (script.steps.length > 0) {
      if (errors.length === 0) instancesAccepted++;
      else instancesRefused++;
    }

    if (errors.length === 0) {
      for (const r of o.refusals)
        problems.push(`${where}: accepted, but some order is refused ${r.code} (${r.resource} ${r.group})`);
      if (o.zero) problems.push(`${where}: accepted, but some order leaves it in no group`);
      for (const final of o.cleanFinals) {
        for (const claim of untrueClaims(script.claims, final)) {
          problems.push(
            `${where}: accepted, but an order ends in [${final}] and ${claim.resource} declares [${claim.groups}]`,
          );
        }
      }
    }

    for (const f of errors.filter(isOrderDependent)) {
      const g = f.securityGroupId;
      const met =
        f.code === "InstanceLastSecurityGroup"
          ? o.zero || o.refusals.some((r) => r.code === f.code)
          : f.code === "InstanceSecurityGroupLimitExceeded"
            ? o.refusals.some((r) => r.code === f.code)
            : g === undefined
              ? false
              : isJoinsUnlisted(f)
                ? [...o.finals].some((final) => final.split(",").includes(g)) &&
                  script.claims.some((claim) => claim.exact && !claim.groups.includes(g))
                : [...o.finals].some((final) => !final.split(",").includes(g)) &&
                  script.claims.some((claim) => claim.groups.includes(g));
      if (!met) problems.push(`${where}: refused (${f.summary}), but no order meets it`);
    }

    for (const f of findings.filter((x) => x.code === "MembershipHandOff")) {
      const g = f.securityGroupId;
      if (g === undefined || !o.lapses.has(g)) {
        problems.push(`${where}: warned (${f.summary}), but no order leaves ${g} for a moment`);
        continue;
      }
      const leavers = [...(o.leavers.get(g) ?? [])];
      const takers = script.claims.filter((claim) => claim.groups.includes(g)).map((claim) => claim.resource);
      const wrong = f.resources.filter((r) => !leavers.includes(r) && !takers.includes(r));
      const unnamed = leavers.filter((r) => !f.resources.includes(r));
      if (wrong.length + unnamed.length > 0) {
        problems.push(
          `${where}: warned (${f.summary}), but the resources that may leave ${g} are [${leavers}]` +
            ` and the ones declaring it [${takers}]`,
        );
      }
    }
    const declared = new Set(script.claims.flatMap((claim) => claim.groups));
    for (const g of o.lapses) {
      if (!declared.has(g)) continue;
      const told =
        errors.length > 0 || findings.some((f) => f.code === "MembershipHandOff" && f.securityGroupId === g);
      if (!told)
        problems.push(
          `${where}: some order leaves ${g}, which the plan still declares, for a moment, and nothing says so`,
        );
    }

    problems.push(...unlistedProblems(where, script, o, findings, errors.length > 0, c.changes));
  }
  const keys = new Map(c.changes.map((x) => [x.resource, x.label]));
  for (const f of judgement.findings) {
    const named = f.resources.map((r) => keys.get(r));
    if (
      !f.summary.startsWith(`${f.code}: `) ||
      !f.summary.includes(f.instanceId) ||
      f.detail.trim() === "" ||
      f.resources.length === 0 ||
      [...f.resources].sort().join() !== f.resources.join() ||
      named.join() !== f.labels.join()
    ) {
      problems.push(`a finding that does not say what it is about: ${JSON.stringify(f)}`);
    }
    if (!scripts.has(f.instanceId))
      problems.push(`a finding for ${f.instanceId}, which no known change touches: ${f.summary}`);
  }
  return { problems, judgement, outcomes, instancesAccepted, instancesRefused };
}

/** An authoritative set applied over groups it does not list is warned about, naming them; no other is. */
function unlistedProblems(
  where: string,
  script: InstanceScript,
  o: InstanceOutcome,
  findings: readonly Finding[],
  refused: boolean,
  changes: readonly ResourceChange[],
): string[] {
  const problems: string[] = [];
  const reconciling = new Map<string, readonly string[]>();
  for (const step of script.steps) {
    for (const call of step.calls) if (call.op === "reconcile") reconciling.set(step.resource, call.groups);
  }
  const warned = findings.filter((f) => f.code === "UnlistedSecurityGroups");
  for (const f of warned) {
    const listed = f.resources.length === 1 ? reconciling.get(f.resources[0]) : undefined;
    const leaving = listed ? o.initial.filter((g) => !listed.includes(g)) : [];
    if (leaving.length === 0 || !leaving.every((g) => f.summary.includes(g))) {
      problems.push(`${where}: warned (${f.summary}), but the set leaves [${leaving}]`);
    }
  }
  if (!refused) {
    for (const [resource, listed] of reconciling) {
      const leaving = o.initial.filter((g) => !listed.includes(g));
      if (leaving.length > 0 && !warned.some((f) => f.resources.includes(resource))) {
        const label = changes.find((x) => x.resource === resource)?.label;
        problems.push(
          `${where}: ${label} will leave [${leaving}], which it does not list, and nothing says so`,
        );
      }
    }
  }
  return problems;
}
