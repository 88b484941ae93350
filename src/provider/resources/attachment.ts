import type { Change } from "../../membership/types";
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
import { knownString, type Resource } from "./resource";
import { deadlineFor, timeoutsBlock, timeoutsDiagnostics } from "./timeouts";

const TYPE = "alisg_attachment";

/**
 * `alisg_attachment`: one instance in one security group, additively.
 * Create joins; delete (destroy, or the block removed) leaves; a changed
 * `security_group_id` moves in place (join the new group, then leave the old);
 * read drops the resource from state when the membership is gone (so the next
 * plan re-creates it). ID and import ID: `<instance_id>:<security_group_id>`.
 */
export class AttachmentResource implements Resource {
  readonly typeName = TYPE;
  readonly schema = {
    description: "Attaches one ECS instance to one security group. Removing it calls LeaveSecurityGroup.",
    attributes: [
      {
        name: "id",
        type: "string" as const,
        computed: true,
        description: "<instance_id>:<security_group_id>",
      },
      { name: "instance_id", type: "string" as const, required: true, description: "Changing it replaces." },
      {
        name: "security_group_id",
        type: "string" as const,
        required: true,
        description: "Changing it moves in place: join the new group, then leave the old one.",
      },
      {
        name: "retain_on_delete",
        type: "bool" as const,
        optional: true,
        description:
          "When true, removing the resource forgets it without calling LeaveSecurityGroup. Default false.",
      },
    ],
    blocks: [timeoutsBlock],
  };

  constructor(
    private readonly facts: () => FactsSource,
    private readonly guard: () => MembershipGuard,
  ) {}

  validate(config: ObjectValue): Diagnostic[] {
    return [
      ...idSyntaxDiagnostics(knownString(config.instance_id), knownString(config.security_group_id)),
      ...timeoutsDiagnostics(config),
    ];
  }

  async read(req: {
    currentState: ObjectValue;
  }): Promise<{ newState: ObjectValue | null; diagnostics?: Diagnostic[] }> {
    const state = req.currentState;
    const instanceId = knownString(state.instance_id);
    const groupId = knownString(state.security_group_id);
    if (!instanceId || !groupId) return { newState: state };
    try {
      const instance = await this.facts().instance(instanceId);
      // Instance gone, group gone or membership gone: leave the state (drift; the next plan re-creates).
      if (!instance || !instance.securityGroupIds.includes(groupId)) return { newState: null };
      return { newState: { ...state, id: attachmentId(instanceId, groupId) } };
    } catch (err) {
      return { newState: state, diagnostics: [apiErrorDiagnostic(err, `reading ${instanceId}`)] };
    }
  }

  async plan(req: PlanRequest): Promise<PlanResponse> {
    const prior = req.priorState;
    const proposed = req.proposedNewState;
    if (!proposed) {
      // Destroy, or the block was removed from the configuration.
      if (!prior || prior.retain_on_delete === true) return { plannedState: null };
      const change = leaveOf(prior);
      const diagnostics = change ? await this.guard().checkPlan(keyOf(prior), [change]) : [];
      return { plannedState: null, diagnostics };
    }
    const instanceId = knownString(proposed.instance_id);
    const groupId = knownString(proposed.security_group_id);
    const plannedState: ObjectValue = {
      ...proposed,
      id: instanceId && groupId ? attachmentId(instanceId, groupId) : unknown,
    };
    const syntax = idSyntaxDiagnostics(instanceId, groupId);
    if (syntax.length > 0) return { plannedState, diagnostics: syntax };
    if (!prior) {
      // Create. Values unknown now are checked at apply time instead.
      if (!instanceId || !groupId) return { plannedState };
      const diagnostics = await this.guard().checkPlan(ledgerKey(instanceId, groupId), [
        { kind: "join", instanceId, securityGroupId: groupId },
      ]);
      return { plannedState, diagnostics };
    }
    const priorInstance = knownString(prior.instance_id);
    const priorGroup = knownString(prior.security_group_id);
    if (proposed.instance_id !== prior.instance_id) {
      // Replacement: leave on the old instance (unless retained); the create half is planned separately.
      const leave = prior.retain_on_delete === true ? undefined : leaveOf(prior);
      const diagnostics = leave ? await this.guard().checkPlan(keyOf(prior), [leave]) : [];
      return { plannedState, requiresReplace: [["instance_id"]], diagnostics };
    }
    if (priorInstance && priorGroup && proposed.security_group_id !== prior.security_group_id) {
      if (!groupId) return { plannedState };
      const diagnostics = await this.guard().checkPlan(keyOf(prior), [
        { kind: "move", instanceId: priorInstance, from: priorGroup, to: groupId },
      ]);
      return { plannedState, diagnostics };
    }
    return { plannedState };
  }

  async apply(req: ApplyRequest): Promise<ApplyResponse> {
    const prior = req.priorState;
    const planned = req.plannedState;
    if (!planned) {
      if (!prior || prior.retain_on_delete === true) return { newState: null };
      const leave = leaveOf(prior);
      if (!leave) return { newState: null };
      const outcome = await this.guard().applyChanges([leave], deadlineFor(prior, "delete"));
      // On failure the membership still exists: keep it in state.
      return { newState: outcome.refused || outcome.failed ? prior : null, diagnostics: outcome.diagnostics };
    }
    const instanceId = knownString(planned.instance_id);
    const groupId = knownString(planned.security_group_id);
    const syntax = idSyntaxDiagnostics(instanceId, groupId);
    if (!instanceId || !groupId || syntax.length > 0) {
      return { newState: prior, diagnostics: syntax.length > 0 ? syntax : [missingValue()] };
    }
    const newState: ObjectValue = { ...planned, id: attachmentId(instanceId, groupId) };
    if (!prior) {
      const outcome = await this.guard().applyChanges(
        [{ kind: "join", instanceId, securityGroupId: groupId }],
        deadlineFor(planned, "create"),
      );
      return {
        newState: outcome.refused || outcome.failed ? null : newState,
        diagnostics: outcome.diagnostics,
      };
    }
    const priorGroup = knownString(prior.security_group_id);
    if (priorGroup && priorGroup !== groupId) {
      const outcome = await this.guard().applyChanges(
        [{ kind: "move", instanceId, from: priorGroup, to: groupId }],
        deadlineFor(planned, "update"),
      );
      // A failed move keeps the prior state: it is still true, and the next apply finishes the move
      // (a join already made is then adopted).
      return {
        newState: outcome.refused || outcome.failed ? prior : newState,
        diagnostics: outcome.diagnostics,
      };
    }
    return { newState };
  }

  async importState(
    id: string,
  ): Promise<{ resources: { typeName: string; state: ObjectValue }[]; diagnostics?: Diagnostic[] }> {
    const parts = id.split(":");
    if (parts.length !== 2) {
      return {
        resources: [],
        diagnostics: [
          {
            severity: "error",
            summary: `Invalid import ID "${id}"`,
            detail: "Import an attachment as <instance_id>:<security_group_id>, e.g. i-bp1abc:sg-bp1def.",
          },
        ],
      };
    }
    const [instanceId, groupId] = parts;
    const syntax = idSyntaxDiagnostics(instanceId, groupId);
    if (syntax.length > 0) return { resources: [], diagnostics: syntax };
    try {
      const instance = await this.facts().instance(instanceId);
      if (!instance || !instance.securityGroupIds.includes(groupId)) {
        return {
          resources: [],
          diagnostics: [
            {
              severity: "error",
              summary: `Cannot import ${id}: ${instanceId} is not in ${groupId}`,
              detail: instance
                ? `${instanceId} is in ${instance.securityGroupIds.join(", ") || "no group"}. Import an existing membership, or create the attachment instead.`
                : `No instance ${instanceId} exists in this region.`,
            },
          ],
        };
      }
    } catch (err) {
      return { resources: [], diagnostics: [apiErrorDiagnostic(err, `reading ${instanceId}`)] };
    }
    return {
      resources: [
        {
          typeName: TYPE,
          state: { id, instance_id: instanceId, security_group_id: groupId, retain_on_delete: null },
        },
      ],
    };
  }
}

function attachmentId(instanceId: string, groupId: string): string {
  return `${instanceId}:${groupId}`;
}

/** The ledger key of an attachment: its type and pair (a resource's ID before and after planning). */
function ledgerKey(instanceId: string, groupId: string): string {
  return `${TYPE}/${attachmentId(instanceId, groupId)}`;
}

function keyOf(state: ObjectValue): string {
  return ledgerKey(String(state.instance_id), String(state.security_group_id));
}

function leaveOf(state: ObjectValue): Change | undefined {
  const instanceId = knownString(state.instance_id);
  const securityGroupId = knownString(state.security_group_id);
  return instanceId && securityGroupId ? { kind: "leave", instanceId, securityGroupId } : undefined;
}

function missingValue(): Diagnostic {
  return {
    severity: "error",
    summary: "instance_id and security_group_id must be known at apply time",
    detail: "Terraform passed an unknown value to apply; this is a bug in the configuration or in alisg.",
  };
}
