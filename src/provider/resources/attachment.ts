import { heldBy, type Holding } from "../../membership";
import type { StepOutcome } from "../guard/guard";
import { apiErrorDiagnostic } from "../guard/diagnostics";
import type { Diagnostic, ObjectValue } from "../plugin/types";
import { idSyntaxDiagnostics } from "./id-syntax";
import type { MembershipResourceType, Outcome } from "./membership-resource";
import { knownString, knownStringSet } from "./resource";
import { INSTANCE_SUBJECT, NETWORK_INTERFACE_SUBJECT, type MembershipSubject } from "./subject";
import { deadlineFor, timeoutsBlock, timeoutsDiagnostics, timeoutsOf } from "./timeouts";

/** The computed attribute that records what a failed apply left held. */
const PENDING = "pending_security_group_ids";

/** `alisg_attachment` (or its ENI twin) as a typed model; `undefined`: not known until apply. */
export interface AttachmentModel {
  /** The subject's ID: `instance_id`, or `network_interface_id` for the ENI twin. */
  readonly instanceId: string | undefined;
  readonly securityGroupId: string | undefined;
  /**
   * Groups the attachment also holds after an apply that failed half-way (a
   * move whose leave failed, or a call whose answer was lost); empty when none.
   */
  readonly pending: readonly string[];
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
 *
 * A failed apply keeps the state true: whatever the attachment (or, for the
 * old half of a replacement, its new object) joined and still holds is
 * recorded, `security_group_id` staying the group it had where it still
 * holds it, the others in `pending_security_group_ids`. The next plan then
 * settles them: it leaves the pending groups the configuration does not name.
 *
 * `alisg_network_interface_attachment` is the same resource for an ENI
 * (`network_interface_id`), made by the same function.
 */
export const attachmentType = attachmentTypeFor(INSTANCE_SUBJECT);

/** `alisg_network_interface_attachment`: one ENI in one security group, additively. */
export const networkInterfaceAttachmentType = attachmentTypeFor(NETWORK_INTERFACE_SUBJECT);

/** The attachment resource of one kind of subject. */
export function attachmentTypeFor(subject: MembershipSubject): MembershipResourceType<AttachmentModel> {
  const idName = subject.idAttribute;
  const type: MembershipResourceType<AttachmentModel> = {
    typeName: subject.attachmentTypeName,
    schema: {
      description: `Attaches one ECS ${subject.noun} to one security group. Removing it calls LeaveSecurityGroup.`,
      attributes: [
        { name: "id", type: "string", computed: true, description: `<${idName}>:<security_group_id>` },
        { name: idName, type: "string", required: true, description: "Changing it replaces." },
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
        {
          name: PENDING,
          type: ["set", "string"],
          computed: true,
          description:
            "Groups this attachment also holds because an apply failed half-way (a move whose leave failed, or a call whose answer was lost). The next apply leaves them, or keeps the one security_group_id names. Null when there are none.",
        },
      ],
      blocks: [timeoutsBlock],
    },
    replacedBy: [idName],

    toModel: (v) => ({
      instanceId: knownString(v[idName]),
      securityGroupId: knownString(v.security_group_id),
      pending: knownStringSet(v[PENDING]) ?? [],
      retainOnDelete: typeof v.retain_on_delete === "boolean" ? v.retain_on_delete : undefined,
      timeouts: timeoutsOf(v),
    }),
    toState: (m) => ({
      id: attachmentId(m),
      [idName]: m.instanceId ?? null,
      security_group_id: m.securityGroupId ?? null,
      retain_on_delete: m.retainOnDelete ?? null,
      [PENDING]: m.pending.length > 0 ? [...m.pending].sort() : null,
      timeouts: m.timeouts,
    }),
    // The plan settles whatever is pending.
    computed: (m) => ({
      id: m.instanceId && m.securityGroupId ? attachmentId(m) : undefined,
      [PENDING]: null,
    }),
    holding: (m): Holding => ({
      instanceId: m.instanceId ?? null,
      securityGroupIds: m.securityGroupId === undefined ? null : unique([m.securityGroupId, ...m.pending]),
    }),
    forgetsOnDelete: (m) => m.retainOnDelete === true,
    validate: (m) => [
      ...idSyntaxDiagnostics(m.instanceId, m.securityGroupId, "security_group_id", idName),
      ...timeoutsDiagnostics(m),
    ],

    async create(planned, ctx) {
      const pair = known(planned);
      if (!pair) return { state: null, diagnostics: [missingValue(idName)] };
      const out = await ctx.step(null, type.holding(planned), deadlineFor(planned, "create"));
      if (out.ok) return { state: planned, diagnostics: out.diagnostics };
      if (out.refused) return { state: null, diagnostics: out.diagnostics };
      return { state: held(planned, [pair.securityGroupId], out), diagnostics: out.diagnostics };
    },

    async read(state, facts) {
      const pair = known(state);
      if (!pair) return { state };
      try {
        const groups = await subject.groups(facts, pair.instanceId);
        // Subject gone, group gone or membership gone: leave the state (drift; the next plan re-creates).
        return { state: held(state, heldGroups(state), { groupsAfter: groups ?? "gone" }) };
      } catch (err) {
        return { state, diagnostics: [apiErrorDiagnostic(err, `reading ${pair.instanceId}`)] };
      }
    },

    async update(prior, planned, ctx) {
      const from = known(prior);
      const to = known(planned);
      if (!from || !to) return { state: prior, diagnostics: [missingValue(idName)] };
      const before = type.holding(prior);
      const out = await ctx.step(before, type.holding(planned), deadlineFor(planned, "update"));
      if (out.ok) return { state: planned, diagnostics: out.diagnostics };
      if (out.refused) return { state: prior, diagnostics: out.diagnostics };
      // A failed move keeps the old group where it still holds it (the next apply finishes the move),
      // unless another resource took it over in this apply (it is that resource's now), and records the
      // groups it joined; one it found there is not its own.
      const kept = heldGroups(prior).filter((g) => !(out.takenByOthers ?? []).includes(g));
      const state = held(prior, unique([...kept, ...(out.joined ?? [])]), out);
      // Holding nothing (Terraform would keep the prior state for a null one), it records what it was
      // to hold: the next refresh finds it missing, and the next plan joins it.
      return { state: state ?? (out.groupsAfter === "gone" ? prior : planned), diagnostics: out.diagnostics };
    },

    async delete(prior, ctx) {
      const pair = known(prior);
      if (!pair || prior.retainOnDelete) return { state: null };
      const out = await ctx.step(type.holding(prior), ctx.replacedBy ?? null, deadlineFor(prior, "delete"));
      if (out.ok) return { state: null, diagnostics: out.diagnostics };
      if (out.refused) return { state: prior, diagnostics: out.diagnostics };
      // On failure what still exists stays in state, with what this half joined for the new object,
      // except what another resource took over in this apply (it is that resource's now).
      const kept = heldGroups(prior).filter((g) => !(out.takenByOthers ?? []).includes(g));
      return {
        state: held(prior, unique([...kept, ...(out.joined ?? [])]), out),
        diagnostics: out.diagnostics,
      };
    },

    async importState(id, facts) {
      const parts = id.split(":");
      if (parts.length !== 2) {
        return refuseImport(
          `Invalid import ID ${JSON.stringify(id)}`,
          `Import an attachment as <${idName}>:<security_group_id>, e.g. ${subject.exampleId}:sg-bp1def.`,
        );
      }
      const [instanceId, securityGroupId] = parts;
      const syntax = idSyntaxDiagnostics(instanceId, securityGroupId, "security_group_id", idName);
      if (syntax.length > 0) return { state: null, diagnostics: syntax };
      try {
        const groups = await subject.groups(facts, instanceId);
        if (!groups || !groups.includes(securityGroupId)) {
          return refuseImport(
            `Cannot import ${id}: ${instanceId} is not in ${securityGroupId}`,
            groups
              ? `${instanceId} is in ${groups.join(", ") || "no group"}. Import an existing membership, or create the attachment instead.`
              : `No ${subject.noun} ${instanceId} exists in this region.`,
          );
        }
      } catch (err) {
        return { state: null, diagnostics: [apiErrorDiagnostic(err, `reading ${instanceId}`)] };
      }
      return {
        state: { instanceId, securityGroupId, pending: [], retainOnDelete: undefined, timeouts: null },
      };
    },
  };
  return type;
}

function attachmentId(m: AttachmentModel): string {
  return `${m.instanceId}:${m.securityGroupId}`;
}

function known(m: AttachmentModel): { instanceId: string; securityGroupId: string } | undefined {
  return m.instanceId !== undefined && m.securityGroupId !== undefined
    ? { instanceId: m.instanceId, securityGroupId: m.securityGroupId }
    : undefined;
}

/** Every group the attachment holds: its group and the pending ones. */
function heldGroups(m: AttachmentModel): string[] {
  return m.securityGroupId === undefined ? [...m.pending] : unique([m.securityGroupId, ...m.pending]);
}

/**
 * The attachment as ECS has it (`heldBy`): of the `candidates` it may hold,
 * those the instance is in; its own group stays `security_group_id` where it
 * is still held, the others are pending. Null when it holds nothing.
 */
function held(
  m: AttachmentModel,
  candidates: readonly string[],
  out: Pick<StepOutcome, "groupsAfter">,
): AttachmentModel | null {
  const holding = heldBy("alisg_attachment", candidates, m.securityGroupId, out.groupsAfter ?? null);
  if (!holding) return null;
  const [own, ...pending] = holding;
  return { ...m, securityGroupId: own, pending };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function refuseImport(summary: string, detail: string): Outcome<AttachmentModel> {
  return { state: null, diagnostics: [{ severity: "error", summary, detail }] };
}

function missingValue(idName: string): Diagnostic {
  return {
    severity: "error",
    summary: `${idName} and security_group_id must be known at apply time`,
    detail: "Terraform passed an unknown value to apply; this is a bug in the configuration or in alisg.",
  };
}
