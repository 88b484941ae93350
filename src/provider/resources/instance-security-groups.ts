import { apiErrorDiagnostic } from "../guard/diagnostics";
import type { Diagnostic, ObjectValue } from "../plugin/types";
import { idSyntaxDiagnostics } from "./id-syntax";
import type { ApplyContext, MembershipResourceType, Outcome } from "./membership-resource";
import { knownString, knownStringSet } from "./resource";
import { deadlineFor, timeoutsBlock, timeoutsDiagnostics, timeoutsOf } from "./timeouts";

/** `alisg_instance_security_groups` as a typed model; `undefined`: not known until apply. */
export interface InstanceSecurityGroupsModel {
  readonly instanceId: string | undefined;
  readonly securityGroupIds: readonly string[] | undefined;
  /** The `timeouts` block as configured (null: absent); kept in state as configured. */
  readonly timeouts: ObjectValue | null;
}

/**
 * `alisg_instance_security_groups`: the whole set of groups of one instance.
 * Authoritative: groups the instance has but the set does not list are drift
 * and are left on apply; listed groups it lacks are joined. Create and update
 * join first, then leave. Delete forgets the resource without API calls: the
 * instance keeps the groups it has. Read records the groups the instance is in.
 */
export const instanceSecurityGroupsType: MembershipResourceType<InstanceSecurityGroupsModel> = {
  typeName: "alisg_instance_security_groups",
  schema: {
    description: "The authoritative set of security groups of one ECS instance.",
    attributes: [
      { name: "id", type: "string", computed: true, description: "The instance ID." },
      { name: "instance_id", type: "string", required: true, description: "Changing it replaces." },
      {
        name: "security_group_ids",
        type: ["set", "string"],
        required: true,
        description: "Every group the instance must be in, at least one. Others are left on apply.",
      },
    ],
    blocks: [timeoutsBlock],
  },
  replacedBy: ["instance_id"],

  toModel: (v) => ({
    instanceId: knownString(v.instance_id),
    securityGroupIds: knownStringSet(v.security_group_ids),
    timeouts: timeoutsOf(v),
  }),
  toState: (m) => ({
    id: m.instanceId ?? null,
    instance_id: m.instanceId ?? null,
    security_group_ids: m.securityGroupIds ? [...m.securityGroupIds].sort() : null,
    timeouts: m.timeouts,
  }),
  // The ID is the instance ID: unknown until the instance ID is (e.g. an instance created in the same apply).
  computed: (m) => ({ id: m.instanceId }),
  holding: (m) => ({ instanceId: m.instanceId ?? null, securityGroupIds: m.securityGroupIds ?? null }),
  forgetsOnDelete: () => true,

  validate(m) {
    const diags = idSyntaxDiagnostics(m.instanceId, m.securityGroupIds, "security_group_ids");
    if (m.securityGroupIds && m.securityGroupIds.length === 0) diags.push(emptySet(m.instanceId));
    return [...diags, ...timeoutsDiagnostics(m)];
  },

  create: (planned, ctx) => reconcileTo(planned, null, ctx),
  update: (prior, planned, ctx) => reconcileTo(planned, prior, ctx),
  // Delete forgets: no API call.
  delete: async () => ({ state: null }),

  async read(state, facts) {
    if (!state.instanceId) return { state };
    try {
      const instance = await facts.instance(state.instanceId);
      if (!instance) return { state: null };
      return { state: { ...state, securityGroupIds: instance.securityGroupIds } };
    } catch (err) {
      return { state, diagnostics: [apiErrorDiagnostic(err, `reading ${state.instanceId}`)] };
    }
  },

  async importState(id, facts) {
    const syntax = idSyntaxDiagnostics(id, undefined);
    if (syntax.length > 0) return { state: null, diagnostics: syntax };
    try {
      const instance = await facts.instance(id);
      if (!instance) {
        return {
          state: null,
          diagnostics: [
            {
              severity: "error",
              summary: `Cannot import ${id}: no such instance`,
              detail: "Check the instance ID and the provider's region.",
            },
          ],
        };
      }
      return { state: { instanceId: id, securityGroupIds: instance.securityGroupIds, timeouts: null } };
    } catch (err) {
      return { state: null, diagnostics: [apiErrorDiagnostic(err, `reading ${id}`)] };
    }
  },
};

/**
 * Makes the instance's groups exactly `planned`'s, joins first (the step
 * `membership/` defines for an authoritative set). After a failure the state
 * records the groups the instance is actually in.
 */
async function reconcileTo(
  planned: InstanceSecurityGroupsModel,
  prior: InstanceSecurityGroupsModel | null,
  ctx: ApplyContext,
): Promise<Outcome<InstanceSecurityGroupsModel>> {
  const { instanceId, securityGroupIds: desired } = planned;
  const invalid = instanceSecurityGroupsType.validate(planned);
  if (!instanceId || !desired || invalid.length > 0) return { state: prior, diagnostics: invalid };
  const type = instanceSecurityGroupsType;
  const out = await ctx.step(
    prior ? type.holding(prior) : null,
    type.holding(planned),
    deadlineFor(planned, prior ? "update" : "create"),
  );
  const diagnostics = out.diagnostics;
  if (out.ok) return { state: planned, diagnostics };
  if (out.refused) return { state: prior, diagnostics };
  const live = out.groupsAfter;
  if (live === "gone") return { state: null, diagnostics };
  // Not described after the failure: keep what was planned or true before; the next refresh corrects it.
  if (live === null || live === undefined) return { state: prior ?? planned, diagnostics };
  return { state: { ...planned, securityGroupIds: live }, diagnostics };
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
