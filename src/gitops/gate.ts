import {
  factsNeeded,
  judgePlan,
  namesNetworkInterface,
  NO_POLICY,
  type Policy,
  type ResourceChange,
} from "../membership";
import { compareDrift, type IgnoreEntry } from "./drift";
import { loadFacts, type EcsReader } from "./facts-loader";
import type { PlanFile } from "./plan-reader";
import type { CheckPlanReport, DriftCommandReport } from "./report";
import type { StateResource } from "./state-reader";

/**
 * The changes of several plans as one judgement sees them: a resource's key
 * is its address, qualified by the plan file when several plans are judged
 * (two stacks may both have `alisg_attachment.web`); so is its label.
 */
export function combinePlans(plans: readonly PlanFile[]): ResourceChange[] {
  if (plans.length === 1) return [...plans[0].changes];
  return plans.flatMap((p) =>
    p.changes.map((c) => ({
      ...c,
      resource: `${p.source}: ${c.resource}`,
      label: `${p.source}: ${c.label}`,
    })),
  );
}

/**
 * `alisg check-plan`: every plan's changes judged together by `judgePlan`, on
 * live facts, with the protected groups of `policy`.
 */
export async function checkPlans(
  plans: readonly PlanFile[],
  ecs: EcsReader,
  maxSecurityGroups: number,
  policy: Policy = NO_POLICY,
): Promise<CheckPlanReport> {
  const changes = combinePlans(plans);
  const needed = factsNeeded(changes);
  const facts = await loadFacts(
    ecs,
    needed.instanceIds,
    needed.securityGroupIds,
    maxSecurityGroups,
    needed.networkInterfaceIds,
  );
  const judgement = judgePlan(facts, changes, {
    protectedSecurityGroupIds: policy.protectedSecurityGroupIds,
  });
  return {
    command: "check-plan",
    findings: judgement.findings,
    checkedAtApply: judgement.unknown,
    plans: plans.length,
    changes: changes.length,
  };
}

/** `alisg drift`: the states' memberships compared with live facts (corrections judged with `policy`). */
export async function reportDrift(
  states: readonly { source: string; resources: readonly StateResource[] }[],
  ecs: EcsReader,
  ignore: readonly IgnoreEntry[],
  maxSecurityGroups: number,
  policy: Policy = NO_POLICY,
): Promise<DriftCommandReport> {
  const resources = states.flatMap((s) => s.resources);
  const eni = (r: StateResource) => namesNetworkInterface(r.kind);
  const facts = await loadFacts(
    ecs,
    resources.filter((r) => !eni(r)).map((r) => r.instanceId),
    resources.flatMap((r) => r.securityGroupIds),
    maxSecurityGroups,
    resources.filter(eni).map((r) => r.instanceId),
  );
  const { items, ignored } = compareDrift(resources, facts, ignore, policy);
  return { command: "drift", items, ignored, resources: resources.length, sources: states.length };
}
