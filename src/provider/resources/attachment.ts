import type { Holding } from "../../membership";
import type { Change } from "../../membership/types";
import { apiErrorDiagnostic } from "../guard/diagnostics";
import type { Diagnostic, ObjectValue } from "../plugin/types";
import { idSyntaxDiagnostics } from "./id-syntax";
import type { MembershipResourceType, Outcome } from "./membership-resource";
import { knownString } from "./resource";
import { deadlineFor, timeoutsBlock, timeoutsDiagnostics, timeoutsOf } from "./timeouts";

/** `alisg_attachment` as a typed model; `undefined`: not known until apply. */
export interface AttachmentModel {
  readonly instanceId: string | undefined;
  readonly securityGroupId: string | undefined;
  /** `retain_on_delete` as configured (undefined: not set, which means false). */
  readonly retainOnDelete: boolean | undefined;
  /** The `timeouts` block as configured (null: absent). */
  readonly timeouts: ObjectValue | null;
}

/**
 * `alisg_attachment`: one instance in one security group, additively.
 * Create joins (or adopts a membership that exists); delete (destroy, or the
 * block removed) leaves; a changed `security_group_id` moves in place (join
 * the new group, then leave the old one); read drops the resource from state
 * when the membership is gone, so the next plan re-creates it. ID and import
 * ID: `<instance_id>:<security_group_id>`.
 */
export const attachmentType: MembershipResourceType<AttachmentModel> = {
  typeName: "alisg_attachment",
  schema: {
    description: "Attaches one ECS instance to one security group. Removing it calls LeaveSecurityGroup.",
    attributes: [
      { name: "id", type: "string", computed: true, description: "<instance_id>:<security_group_id>" },
      { name: "instance_id", type: "string", required: true, description: "Changing it replaces." },
      {
        name: "security_group_id",
        type: "string",
        required: true,
        description: "Changing it moves in place: join the new group, then leave the old one.",
      },
      {
        name: "retain_on_delete",
        type: "bool",
        optional: true,
        description:
          "When true, removing the resource forgets it without calling LeaveSecurityGroup. Default false.",
      },
    ],
    blocks: [timeoutsBlock],
  },
  replacedBy: ["instance_id"],

  toModel: (v) => ({
    instanceId: knownString(v.instance_id),
    securityGroupId: knownString(v.security_group_id),
    retainOnDelete: typeof v.retain_on_delete === "boolean" ? v.retain_on_delete : undefined,
    timeouts: timeoutsOf(v),
  }),
  toState: (m) => ({
    id: attachmentId(m),
    instance_id: m.instanceId ?? null,
    security_group_id: m.securityGroupId ?? null,
    retain_on_delete: m.retainOnDelete ?? null,
    timeouts: m.timeouts,
  }),
  computed: (m) => ({ id: m.instanceId && m.securityGroupId ? attachmentId(m) : undefined }),
  holding: (m): Holding => ({
    instanceId: m.instanceId ?? null,
    securityGroupIds: m.securityGroupId === undefined ? null : [m.securityGroupId],
  }),
  forgetsOnDelete: (m) => m.retainOnDelete === true,
  validate: (m) => [...idSyntaxDiagnostics(m.instanceId, m.securityGroupId), ...timeoutsDiagnostics(m)],

  async create(planned, ctx) {
    const pair = known(planned);
    if (!pair) return { state: null, diagnostics: [missingValue()] };
    const outcome = await ctx.guard.applyChanges(
      [{ kind: "join", ...pair }],
      [],
      deadlineFor(planned, "create"),
    );
    return { state: outcome.refused || outcome.failed ? null : planned, diagnostics: outcome.diagnostics };
  },

  async read(state, facts) {
    const pair = known(state);
    if (!pair) return { state };
    try {
      const instance = await facts.instance(pair.instanceId);
      // Instance gone, group gone or membership gone: leave the state (drift; the next plan re-creates).
      if (!instance || !instance.securityGroupIds.includes(pair.securityGroupId)) return { state: null };
      return { state };
    } catch (err) {
      return { state, diagnostics: [apiErrorDiagnostic(err, `reading ${pair.instanceId}`)] };
    }
  },

  async update(prior, planned, ctx) {
    const from = known(prior);
    const to = known(planned);
    if (!from || !to) return { state: prior, diagnostics: [missingValue()] };
    if (from.securityGroupId === to.securityGroupId) return { state: planned };
    const outcome = await ctx.guard.applyChanges(
      [{ kind: "move", instanceId: to.instanceId, from: from.securityGroupId, to: to.securityGroupId }],
      [],
      deadlineFor(planned, "update"),
    );
    // A failed move keeps the prior state: it is still true, and the next apply finishes the move
    // (a join already made is then adopted).
    return { state: outcome.refused || outcome.failed ? prior : planned, diagnostics: outcome.diagnostics };
  },

  async delete(prior, ctx) {
    const pair = known(prior);
    if (!pair || prior.retainOnDelete) return { state: null };
    const leave: Change = { kind: "leave", ...pair };
    const outcome = await ctx.guard.applyChanges([leave], ctx.keep, deadlineFor(prior, "delete"));
    // On failure the membership still exists: keep it in state.
    return { state: outcome.refused || outcome.failed ? prior : null, diagnostics: outcome.diagnostics };
  },

  async importState(id, facts) {
    const parts = id.split(":");
    if (parts.length !== 2) {
      return refuseImport(
        `Invalid import ID ${JSON.stringify(id)}`,
        "Import an attachment as <instance_id>:<security_group_id>, e.g. i-bp1abc:sg-bp1def.",
      );
    }
    const [instanceId, securityGroupId] = parts;
    const syntax = idSyntaxDiagnostics(instanceId, securityGroupId);
    if (syntax.length > 0) return { state: null, diagnostics: syntax };
    try {
      const instance = await facts.instance(instanceId);
      if (!instance || !instance.securityGroupIds.includes(securityGroupId)) {
        return refuseImport(
          `Cannot import ${id}: ${instanceId} is not in ${securityGroupId}`,
          instance
            ? `${instanceId} is in ${instance.securityGroupIds.join(", ") || "no group"}. Import an existing membership, or create the attachment instead.`
            : `No instance ${instanceId} exists in this region.`,
        );
      }
    } catch (err) {
      return { state: null, diagnostics: [apiErrorDiagnostic(err, `reading ${instanceId}`)] };
    }
    return { state: { instanceId, securityGroupId, retainOnDelete: undefined, timeouts: null } };
  },
};

function attachmentId(m: AttachmentModel): string {
  return `${m.instanceId}:${m.securityGroupId}`;
}

function known(m: AttachmentModel): { instanceId: string; securityGroupId: string } | undefined {
  return m.instanceId !== undefined && m.securityGroupId !== undefined
    ? { instanceId: m.instanceId, securityGroupId: m.securityGroupId }
    : undefined;
}

function refuseImport(summary: string, detail: string): Outcome<AttachmentModel> {
  return { state: null, diagnostics: [{ severity: "error", summary, detail }] };
}

function missingValue(): Diagnostic {
  return {
    severity: "error",
    summary: "instance_id and security_group_id must be known at apply time",
    detail: "Terraform passed an unknown value to apply; this is a bug in the configuration or in alisg.",
  };
}
