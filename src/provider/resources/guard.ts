import type { Deadline, EcsApi } from "../../ecs/types";
import { decideMembership, joinTargetsOf, planMembership } from "../../membership";
import type { Change, Facts, Operation } from "../../membership/types";
import type { Diagnostic } from "../plugin/types";
import { KeyedQueue } from "../../util/keyed-queue";
import { apiErrorDiagnostic, noteDiagnostics, planDiagnostics, refusalDiagnostic } from "./diagnostics";
import type { FactsSource } from "./facts";
import { PlannedChanges, relevantOthers } from "./ledger";
import { beforeDeadline } from "./timeouts";

/** Outcome of applying one resource's changes. */
export interface ApplyOutcome {
  readonly diagnostics: Diagnostic[];
  /** The rules refused (or the facts could not be read) before any call was made. */
  readonly refused: boolean;
  /** Operations that took effect (or were found already done). */
  readonly completed: readonly Operation[];
  /** The operation that failed, if one did. */
  readonly failed?: Operation;
}

/**
 * The single path through which resources check and make membership changes:
 * plan-time checks across all changes planned in this process, and the
 * re-check just before the API calls, both asking `membership/`.
 */
export class MembershipGuard {
  private readonly planned = new PlannedChanges();
  private readonly locks = new KeyedQueue();

  constructor(
    private readonly facts: FactsSource,
    private readonly api: EcsApi,
  ) {}

  /**
   * Plan-time check of one resource's changes, counting the changes other
   * resources planned for the same instances. Accepted changes are recorded
   * (replacing what this resource recorded before).
   */
  async checkPlan(resourceKey: string, own: readonly Change[]): Promise<Diagnostic[]> {
    if (own.length === 0) {
      this.planned.record(resourceKey, []);
      return [];
    }
    const instanceIds = instanceIdsOf(own);
    let facts: Facts;
    try {
      facts = await this.facts.planning(instanceIds, joinTargetsOf(own));
    } catch (err) {
      // Unreadable facts (Forbidden.RAM, a dead endpoint, ...): an error, not a provider failure.
      return [apiErrorDiagnostic(err, `describing ${instanceIds.join(", ")} to plan`)];
    }
    // Nothing may be awaited from here to `record`: concurrent plans see each other's entries.
    const alone = planMembership(facts, own);
    const refusals = planDiagnostics(alone);
    const warnings = noteDiagnostics(alone.flatMap((p) => p.notes));
    if (refusals.length > 0 || alone.every((p) => p.operations.length === 0)) {
      // Refused, or nothing to do: nothing of this resource's counts for the others.
      this.planned.record(resourceKey, []);
      return refusals.length > 0 ? refusals : warnings;
    }
    this.planned.record(resourceKey, own);
    const others = relevantOthers(
      own,
      instanceIds.flatMap((i) => this.planned.othersFor(i, resourceKey)),
    );
    if (others.length === 0) return warnings;
    const all = [...own, ...others];
    const missingGroups = joinTargetsOf(others).some((g) => !facts.groups.has(g));
    const together = planMembership(
      missingGroups ? await this.facts.planning(instanceIds, joinTargetsOf(all)) : facts,
      all,
    );
    const combined = planDiagnostics(together);
    return combined.length > 0 ? combined : warnings;
  }

  /**
   * Re-checks `own` against facts described right now and makes the calls,
   * joins before leaves, one instance at a time.
   */
  applyChanges(own: readonly Change[], deadline?: Deadline): Promise<ApplyOutcome> {
    return this.apply(instanceIdsOf(own), joinTargetsOf(own), () => own, deadline);
  }

  /**
   * Describes `instanceIds` and `groupIds` right now, asks `decide` for the
   * changes given those facts, re-checks them and makes the calls: every
   * join before any leave, with this process's other changes to the same
   * instances waiting their turn.
   */
  apply(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    decide: (facts: Facts) => readonly Change[],
    /** The operation's `timeouts` deadline; ECS calls wait out retryable errors until then. */
    deadline?: Deadline,
  ): Promise<ApplyOutcome> {
    // One lock at a time, in a stable order (a replacement touches two instances).
    const runLocked = (ids: readonly string[], task: () => Promise<ApplyOutcome>): Promise<ApplyOutcome> =>
      ids.length === 0 ? task() : this.locks.run(ids[0], () => runLocked(ids.slice(1), task));
    return runLocked([...new Set(instanceIds)].sort(), async () => {
      let decision: ReturnType<typeof decideMembership>;
      try {
        const facts = await beforeDeadline(this.facts.fresh(instanceIds, groupIds), deadline);
        decision = decideMembership(facts, decide(facts));
      } catch (err) {
        return {
          diagnostics: [apiErrorDiagnostic(err, "describing the instance")],
          refused: true,
          completed: [],
        };
      }
      if (decision.refusals.length > 0) {
        return {
          diagnostics: decision.refusals.map((r) => refusalDiagnostic(r)),
          refused: true,
          completed: [],
        };
      }
      const diagnostics = noteDiagnostics(decision.notes);
      const completed: Operation[] = [];
      for (const op of decision.operations) {
        try {
          if (op.action === "join")
            await this.api.joinSecurityGroup(op.instanceId, op.securityGroupId, { deadline });
          else await this.api.leaveSecurityGroup(op.instanceId, op.securityGroupId, { deadline });
          completed.push(op);
        } catch (err) {
          const verb = op.action === "join" ? "joining" : "leaving";
          diagnostics.push(apiErrorDiagnostic(err, `${verb} ${op.securityGroupId} with ${op.instanceId}`));
          return { diagnostics, refused: false, completed, failed: op };
        } finally {
          this.facts.changed(op.instanceId);
        }
      }
      return { diagnostics, refused: false, completed };
    });
  }
}

function instanceIdsOf(changes: readonly Change[]): string[] {
  return [...new Set(changes.map((c) => c.instanceId))];
}
