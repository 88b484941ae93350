import type { EcsApi } from "../../ecs/types";
import { planMembership } from "../../membership/plan";
import type { Change, Facts, InstancePlan, Operation } from "../../membership/types";
import type { Diagnostic } from "../plugin/types";
import { apiErrorDiagnostic, noteDiagnostics, planDiagnostics } from "./diagnostics";
import type { FactsSource } from "./facts";
import { KeyedQueue } from "../../util/keyed-queue";
import { PlannedChanges, relevantOthers } from "./ledger";

/** Outcome of applying one resource's changes. */
export interface ApplyOutcome {
  readonly diagnostics: Diagnostic[];
  /** The rules refused before any call was made. */
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
   * resources planned for the same instances. Accepted changes are recorded.
   */
  async checkPlan(resourceKey: string, own: readonly Change[]): Promise<Diagnostic[]> {
    if (own.length === 0) return [];
    const facts = await this.facts.planning(instanceIdsOf(own), joinTargetsOf(own));
    // Nothing may be awaited from here to `record`: concurrent plans see each other's entries.
    const alone = planMembership(facts, own);
    const refusals = planDiagnostics(alone);
    if (refusals.length > 0) return refusals;
    const warnings = noteDiagnostics(alone.flatMap((p) => p.notes));
    if (alone.every((p) => p.operations.length === 0)) return warnings;
    this.planned.record(resourceKey, own);
    const others = relevantOthers(
      own,
      instanceIdsOf(own).flatMap((i) => this.planned.othersFor(i, resourceKey)),
    );
    if (others.length === 0) return warnings;
    const missingGroups = joinTargetsOf(others).filter((g) => !facts.groups.has(g));
    const together =
      missingGroups.length === 0
        ? planMembership(facts, [...own, ...others])
        : planMembership(await this.facts.planning(instanceIdsOf(own), joinTargetsOf([...own, ...others])), [
            ...own,
            ...others,
          ]);
    const combined = planDiagnostics(together);
    return combined.length > 0 ? combined : warnings;
  }

  /**
   * Re-checks `own` against facts described right now and makes the calls,
   * joins before leaves, one instance at a time.
   */
  applyChanges(own: readonly Change[]): Promise<ApplyOutcome> {
    return this.apply(instanceIdsOf(own), joinTargetsOf(own), () => own);
  }

  /**
   * Describes `instanceIds` and `groupIds` right now, asks `decide` for the
   * changes given those facts, re-checks them and makes the calls: joins
   * before leaves, with this process's other changes to the same instances
   * waiting their turn.
   */
  apply(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    decide: (facts: Facts) => readonly Change[],
  ): Promise<ApplyOutcome> {
    // One lock at a time, in a stable order (a replacement touches two instances).
    const runLocked = (ids: readonly string[], task: () => Promise<ApplyOutcome>): Promise<ApplyOutcome> =>
      ids.length === 0 ? task() : this.locks.run(ids[0], () => runLocked(ids.slice(1), task));
    return runLocked([...new Set(instanceIds)].sort(), async () => {
      let plans: InstancePlan[];
      try {
        const facts = await this.facts.fresh(instanceIds, groupIds);
        plans = planMembership(facts, decide(facts));
      } catch (err) {
        return {
          diagnostics: [apiErrorDiagnostic(err, "describing the instance")],
          refused: true,
          completed: [],
        };
      }
      const refusals = planDiagnostics(plans);
      if (refusals.length > 0) return { diagnostics: refusals, refused: true, completed: [] };
      const diagnostics = noteDiagnostics(plans.flatMap((p) => p.notes));
      const completed: Operation[] = [];
      // Joins of every instance first, then leaves (the planner orders within an instance).
      const ops = plans.flatMap((p) => p.operations);
      const ordered = [...ops.filter((o) => o.action === "join"), ...ops.filter((o) => o.action === "leave")];
      for (const op of ordered) {
        try {
          if (op.action === "join") await this.api.joinSecurityGroup(op.instanceId, op.securityGroupId);
          else await this.api.leaveSecurityGroup(op.instanceId, op.securityGroupId);
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

export function instanceIdsOf(changes: readonly Change[]): string[] {
  return [...new Set(changes.map((c) => c.instanceId))];
}

export function joinTargetsOf(changes: readonly Change[]): string[] {
  const groups = changes.flatMap((c) =>
    c.kind === "join" ? [c.securityGroupId] : c.kind === "move" ? [c.to] : [],
  );
  return [...new Set(groups)];
}
