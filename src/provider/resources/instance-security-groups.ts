import { apiErrorDiagnostic } from "../guard/diagnostics";
import type { Diagnostic, ObjectValue } from "../plugin/types";
import { idSyntaxDiagnostics } from "./id-syntax";
import type { ApplyContext, MembershipResourceType, Outcome } from "./membership-resource";
import { knownString, knownStringSet } from "./resource";
import { INSTANCE_SUBJECT, NETWORK_INTERFACE_SUBJECT, type MembershipSubject } from "./subject";
import { deadlineFor, timeoutsBlock, timeoutsDiagnostics, timeoutsOf } from "./timeouts";

/** `alisg_instance_security_groups` as a typed model; `undefined`: not known until apply. */
export interface InstanceSecurityGroupsModel {
  /** The subject's ID: `instance_id`, or `network_interface_id` for the ENI twin. */
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
 *
 * `alisg_network_interface_security_groups` is the same resource for an ENI
 * (`network_interface_id`), made by the same function.
 */
export const instanceSecurityGroupsType = securityGroupsTypeFor(INSTANCE_SUBJECT);

/** `alisg_network_interface_security_groups`: the whole set of groups of one ENI. */
export const networkInterfaceSecurityGroupsType = securityGroupsTypeFor(NETWORK_INTERFACE_SUBJECT);

/** The authoritative-set resource of one kind of subject. */
export function securityGroupsTypeFor(
  subject: MembershipSubject,
): MembershipResourceType<InstanceSecurityGroupsModel> {
  const idName = subject.idAttribute;
  const type: MembershipResourceType<InstanceSecurityGroupsModel> = {
    typeName: subject.setTypeName,
    schema: {
      description: `The authoritative set of security groups of one ECS ${subject.noun}.`,
      attributes: [
        { name: "id", type: "string", computed: true, description: `The ${subject.noun} ID.` },
        { name: idName, type: "string", required: true, description: "Changing it replaces." },
        {
          name: "security_group_ids",
          type: ["set", "string"],
          required: true,
          description: `Every group the ${subject.noun} must be in, at least one. Others are left on apply.`,
        },
      ],
      blocks: [timeoutsBlock],
    },
    replacedBy: [idName],

    toModel: (v) => ({
      instanceId: knownString(v[idName]),
      securityGroupIds: knownStringSet(v.security_group_ids),
      timeouts: timeoutsOf(v),
    }),
    toState: (m) => ({
      id: m.instanceId ?? null,
      [idName]: m.instanceId ?? null,
      security_group_ids: m.securityGroupIds ? [...m.securityGroupIds].sort() : null,
      timeouts: m.timeouts,
    }),
    // The ID is the instance ID: unknown until the instance ID is (e.g. an instance created in the same apply).
    computed: (m) => ({ id: m.instanceId }),
    holding: (m) => ({ instanceId: m.instanceId ?? null, securityGroupIds: m.securityGroupIds ?? null }),
    forgetsOnDelete: () => true,

    validate(m) {
      const diags = idSyntaxDiagnostics(m.instanceId, m.securityGroupIds, "security_group_ids", idName);
      if (m.securityGroupIds && m.securityGroupIds.length === 0) diags.push(emptySet(m.instanceId, subject));
      return [...diags, ...timeoutsDiagnostics(m)];
    },

    create: (planned, ctx) => reconcileTo(type, planned, null, ctx),
    update: (prior, planned, ctx) => reconcileTo(type, planned, prior, ctx),
    // Delete forgets: no API call.
    delete: async () => ({ state: null }),

    async read(state, facts) {
      if (!state.instanceId) return { state };
      try {
        const groups = await subject.groups(facts, state.instanceId);
        if (!groups) return { state: null };
        return { state: { ...state, securityGroupIds: groups } };
      } catch (err) {
        return { state, diagnostics: [apiErrorDiagnostic(err, `reading ${state.instanceId}`)] };
      }
    },

    async importState(id, facts) {
      const syntax = idSyntaxDiagnostics(id, undefined, "security_group_ids", idName);
      if (syntax.length > 0) return { state: null, diagnostics: syntax };
      try {
        const groups = await subject.groups(facts, id);
        if (!groups) {
          return {
            state: null,
            diagnostics: [
              {
                severity: "error",
                summary: `Cannot import ${id}: no such ${subject.noun}`,
                detail: `Check the ${subject.noun} ID and the provider's region.`,
              },
            ],
          };
        }
        return { state: { instanceId: id, securityGroupIds: groups, timeouts: null } };
      } catch (err) {
        return { state: null, diagnostics: [apiErrorDiagnostic(err, `reading ${id}`)] };
      }
    },
  };
  return type;
}

/**
 * Makes the instance's groups exactly `planned`'s, joins first (the step
 * `membership/` defines for an authoritative set). After a failure the state
 * records the groups the instance is actually in.
 */
async function reconcileTo(
  type: MembershipResourceType<InstanceSecurityGroupsModel>,
  planned: InstanceSecurityGroupsModel,
  prior: InstanceSecurityGroupsModel | null,
  ctx: ApplyContext,
): Promise<Outcome<InstanceSecurityGroupsModel>> {
  const { instanceId, securityGroupIds: desired } = planned;
  const invalid = type.validate(planned);
  if (!instanceId || !desired || invalid.length > 0) return { state: prior, diagnostics: invalid };
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

function emptySet(instanceId: string | undefined, subject: MembershipSubject): Diagnostic {
  const noun = subject.noun;
  return {
    severity: "error",
    summary: `InstanceLastSecurityGroup: security_group_ids${instanceId ? ` of ${instanceId}` : ""} is empty, and an ${noun} must keep at least one security group`,
    detail: `List at least one security group. To stop managing the ${noun}'s groups, remove the resource instead: that forgets it and the ${noun} keeps its groups.`,
    attribute: ["security_group_ids"],
  };
}
