import type { Change, Facts } from "../../membership/types";
import type {
  ApplyRequest,
  ApplyResponse,
  Diagnostic,
  ObjectValue,
  PlanRequest,
  PlanResponse,
} from "../plugin/types";
import { unknown } from "../plugin/types";
import { apiErrorDiagnostic } from "./diagnostics";
import type { FactsSource } from "./facts";
import type { MembershipGuard } from "./guard";
import { idSyntaxDiagnostics } from "./id-syntax";
import { knownString, knownStringSet, type Resource } from "./resource";
import { deadlineFor, timeoutsBlock, timeoutsDiagnostics } from "./timeouts";

const TYPE = "alisg_instance_security_groups";

/**
 * `alisg_instance_security_groups`: the whole set of groups of one instance.
 * Authoritative: groups the instance has but the set does not list are drift
 * and are left on apply; listed groups it lacks are joined. Updates join
 * first, then leave. Delete forgets the resource without API calls: the
 * instance keeps the groups it has.
 */
export class InstanceSecurityGroupsResource implements Resource {
  readonly typeName = TYPE;
  readonly schema = {
    description: "The authoritative set of security groups of one ECS instance.",
    attributes: [
      { name: "id", type: "string" as const, computed: true, description: "The instance ID." },
      { name: "instance_id", type: "string" as const, required: true, description: "Changing it replaces." },
      {
        name: "security_group_ids",
        type: ["set", "string"] as const,
        required: true,
        description: "Every group the instance must be in, at least one. Others are left on apply.",
      },
    ],
    blocks: [timeoutsBlock],
  };

  constructor(
    private readonly facts: () => FactsSource,
    private readonly guard: () => MembershipGuard,
  ) {}

  validate(config: ObjectValue): Diagnostic[] {
    const instanceId = knownString(config.instance_id);
    const groups = knownStringSet(config.security_group_ids);
    const diags = idSyntaxDiagnostics(instanceId, groups, "security_group_ids");
    if (groups && groups.length === 0) diags.push(emptySet(instanceId));
    return [...diags, ...timeoutsDiagnostics(config)];
  }

  async read(req: {
    currentState: ObjectValue;
  }): Promise<{ newState: ObjectValue | null; diagnostics?: Diagnostic[] }> {
    const state = req.currentState;
    const instanceId = knownString(state.instance_id);
    if (!instanceId) return { newState: state };
    try {
      const instance = await this.facts().instance(instanceId);
      if (!instance) return { newState: null };
      return { newState: stateOf(instanceId, instance.securityGroupIds, state) };
    } catch (err) {
      return { newState: state, diagnostics: [apiErrorDiagnostic(err, `reading ${instanceId}`)] };
    }
  }

  async plan(req: PlanRequest): Promise<PlanResponse> {
    const proposed = req.proposedNewState;
    const prior = req.priorState;
    // Delete forgets: no API call, nothing to check.
    if (!proposed) return { plannedState: null };
    const instanceId = knownString(proposed.instance_id);
    const desired = knownStringSet(proposed.security_group_ids);
    // The ID is the instance ID: unknown until the instance ID is (e.g. an instance created in the same apply).
    const plannedState: ObjectValue = { ...proposed, id: instanceId ?? unknown };
    const requiresReplace = prior && prior.instance_id !== proposed.instance_id ? [["instance_id"]] : [];
    const diagnostics = this.validate(proposed);
    if (diagnostics.length > 0 || !instanceId || !desired)
      return { plannedState, requiresReplace, diagnostics };
    if (!prior || prior.instance_id === proposed.instance_id) {
      let facts: Facts;
      try {
        facts = await this.facts().planning([instanceId], desired);
      } catch (err) {
        return {
          plannedState,
          requiresReplace,
          diagnostics: [apiErrorDiagnostic(err, `reading ${instanceId}`)],
        };
      }
      diagnostics.push(
        ...(await this.guard().checkPlan(`${TYPE}/${instanceId}`, reconcile(facts, instanceId, desired))),
      );
    }
    return { plannedState, requiresReplace, diagnostics };
  }

  async apply(req: ApplyRequest): Promise<ApplyResponse> {
    const planned = req.plannedState;
    if (!planned) return { newState: null };
    const instanceId = knownString(planned.instance_id);
    const desired = knownStringSet(planned.security_group_ids);
    const invalid = this.validate(planned);
    if (!instanceId || !desired || invalid.length > 0)
      return { newState: req.priorState, diagnostics: invalid };
    const outcome = await this.guard().apply(
      [instanceId],
      desired,
      (facts) => reconcile(facts, instanceId, desired),
      deadlineFor(planned, req.priorState ? "update" : "create"),
    );
    if (!outcome.refused && !outcome.failed) {
      return { newState: { ...planned, id: instanceId }, diagnostics: outcome.diagnostics };
    }
    // Record what is true now: the groups the instance is actually in.
    const diagnostics = [...outcome.diagnostics];
    try {
      const facts = await this.facts().fresh([instanceId], []);
      const live = facts.instances.get(instanceId);
      if (!live) return { newState: null, diagnostics };
      if (!req.priorState && outcome.completed.length === 0) return { newState: null, diagnostics };
      return { newState: stateOf(instanceId, live.securityGroupIds, planned), diagnostics };
    } catch (err) {
      diagnostics.push(apiErrorDiagnostic(err, `reading ${instanceId} after a failed change`));
      return { newState: req.priorState, diagnostics };
    }
  }

  async importState(
    id: string,
  ): Promise<{ resources: { typeName: string; state: ObjectValue }[]; diagnostics?: Diagnostic[] }> {
    const syntax = idSyntaxDiagnostics(id, undefined);
    if (syntax.length > 0) return { resources: [], diagnostics: syntax };
    try {
      const instance = await this.facts().instance(id);
      if (!instance) {
        return {
          resources: [],
          diagnostics: [
            {
              severity: "error",
              summary: `Cannot import ${id}: no such instance`,
              detail: "Check the instance ID and the provider's region.",
            },
          ],
        };
      }
      return { resources: [{ typeName: TYPE, state: stateOf(id, instance.securityGroupIds) }] };
    } catch (err) {
      return { resources: [], diagnostics: [apiErrorDiagnostic(err, `reading ${id}`)] };
    }
  }
}

/** Joins of listed groups the instance lacks, leaves of groups it has that are not listed. */
function reconcile(facts: Facts, instanceId: string, desired: readonly string[]): Change[] {
  const live = facts.instances.get(instanceId)?.securityGroupIds ?? [];
  return [
    ...desired
      .filter((g) => !live.includes(g))
      .map((g): Change => ({ kind: "join", instanceId, securityGroupId: g })),
    ...live
      .filter((g) => !desired.includes(g))
      .map((g): Change => ({ kind: "leave", instanceId, securityGroupId: g })),
  ];
}

/** The state for the groups found; `timeouts` (configuration only) is kept from `keep`. */
function stateOf(instanceId: string, groups: readonly string[], keep?: ObjectValue | null): ObjectValue {
  return {
    id: instanceId,
    instance_id: instanceId,
    security_group_ids: [...groups].sort(),
    timeouts: keep?.timeouts ?? null,
  };
}

function emptySet(instanceId: string | undefined): Diagnostic {
  return {
    severity: "error",
    summary: `InstanceLastSecurityGroup: security_group_ids${instanceId ? ` of ${instanceId}` : ""} is empty, and an instance must keep at least one security group`,
    detail:
      "List at least one security group. To stop managing the instance's groups, remove the resource instead: that forgets it and the instance keeps its groups.",
    attribute: ["security_group_ids"],
  };
}
