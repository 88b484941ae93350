import type { Deadline, EcsApi } from "../../ecs/types";
import {
  decideMembership,
  factsNeeded,
  joinTargetsOf,
  judgePlan,
  type MembershipDecision,
  type ResourceChange,
} from "../../membership";
import type { Change, Facts, InstanceFacts, Operation } from "../../membership/types";
import type { Diagnostic } from "../plugin/types";
import { KeyedQueue } from "../../util/keyed-queue";
import { apiErrorDiagnostic, findingDiagnostic, noteDiagnostics, refusalDiagnostic } from "./diagnostics";
import { beforeDeadline } from "./deadline";
import type { FactsSource } from "./facts";
import { PlanLedger } from "./plan-ledger";

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
 * The single path through which resources check and make membership changes,
 * both asking `membership/`:
 * - at plan time, each resource's change is judged with every change planned
 *   in this process (`judgePlan`, the whole-plan model);
 * - at apply time, a resource's calls are re-checked against facts described
 *   just before (`decideMembership`) and made, joins before leaves, one
 *   instance at a time. A leave of a group that another change of this same
 *   apply joined or adopted is a hand-off and is never made.
 */
export class MembershipGuard {
  private readonly ledger = new PlanLedger();
  private readonly locks = new KeyedQueue();
  /** `<instance>:<group>` pairs joined or adopted by this process's applies. */
  private readonly taken = new Set<string>();

  constructor(
    private readonly facts: FactsSource,
    private readonly api: EcsApi,
  ) {}

  /**
   * Plan-time judgement of one resource's change together with every change
   * planned in this process for the same instances. Returns the findings no
   * earlier call reported (each finding is reported once).
   */
  async planChange(planned: ResourceChange): Promise<Diagnostic[]> {
    const change = this.withoutTakenLeaves(planned);
    this.ledger.record(change);
    let related = this.ledger.relatedTo(change);
    let facts: Facts;
    try {
      // Other calls may record more changes while we describe: describe until nothing new is needed.
      let needed = factsNeeded(related);
      for (;;) {
        facts = await this.facts.planning(needed.instanceIds, needed.securityGroupIds);
        related = this.ledger.relatedTo(change);
        const now = factsNeeded(related);
        if (
          now.instanceIds.every((i) => needed.instanceIds.includes(i)) &&
          now.securityGroupIds.every((g) => needed.securityGroupIds.includes(g))
        )
          break;
        needed = now;
      }
    } catch (err) {
      return [apiErrorDiagnostic(err, "describing the instances this plan changes")];
    }
    const judgement = judgePlan(facts, related);
    return this.ledger.unreported(judgement.findings).map(findingDiagnostic);
  }

  /** The resource's change was applied: it no longer needs ordering against the rest of the plan. */
  settled(key: string): void {
    this.ledger.settle(key);
  }

  /**
   * A delete planned in an apply process (Terraform plans the delete of a
   * create_before_destroy replacement's old object only then) whose groups
   * this apply already took: it will forget, not leave, so judge it so.
   */
  private withoutTakenLeaves(change: ResourceChange): ResourceChange {
    const before = change.before;
    if (change.after !== null || !before?.instanceId || !before.securityGroupIds) return change;
    const taken = before.securityGroupIds.every((g) => this.taken.has(pairKey(before.instanceId!, g)));
    return taken ? { ...change, retainOnDelete: true } : change;
  }

  /** The instance as described right now (undefined: it does not exist). */
  async describe(instanceId: string): Promise<InstanceFacts | undefined> {
    return (await this.facts.fresh([instanceId], [])).instances.get(instanceId);
  }

  /**
   * Re-checks `own` against facts described right now and makes the calls.
   * `keep`: groups this resource's delete must not leave (its replacement keeps them).
   * `deadline`: the operation's `timeouts` entry; the calls wait out retryable errors until then.
   */
  applyChanges(
    own: readonly Change[],
    keep: readonly string[] = [],
    deadline?: Deadline,
  ): Promise<ApplyOutcome> {
    return this.apply(instanceIdsOf(own), joinTargetsOf(own), () => own, keep, deadline);
  }

  /**
   * Describes `instanceIds` and `groupIds` right now, asks `decide` for the
   * changes given those facts, re-checks them and makes the calls: every
   * join before any leave, with this process's other changes to the same
   * instances waiting their turn. Leaves of groups another change of this
   * apply took (or that `keep` lists) are dropped first: hand-offs.
   */
  apply(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    decide: (facts: Facts) => readonly Change[],
    keep: readonly string[] = [],
    deadline?: Deadline,
  ): Promise<ApplyOutcome> {
    // One lock at a time, in a stable order (a replacement touches two instances).
    const runLocked = (ids: readonly string[], task: () => Promise<ApplyOutcome>): Promise<ApplyOutcome> =>
      ids.length === 0 ? task() : this.locks.run(ids[0], () => runLocked(ids.slice(1), task));
    return runLocked([...new Set(instanceIds)].sort(), async () => {
      let decision: MembershipDecision;
      try {
        const facts = await beforeDeadline(this.facts.fresh(instanceIds, groupIds), deadline);
        decision = decideMembership(facts, this.withoutHandOffs(decide(facts), keep));
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
      this.remember(decision);
      return { diagnostics, refused: false, completed };
    });
  }

  /** The changes without leaves of groups this apply handed over (a move keeps its join). */
  private withoutHandOffs(changes: readonly Change[], keep: readonly string[]): Change[] {
    const handedOver = (instanceId: string, g: string) =>
      keep.includes(g) || this.taken.has(pairKey(instanceId, g));
    return changes.flatMap((c): Change[] => {
      if (c.kind === "leave") return handedOver(c.instanceId, c.securityGroupId) ? [] : [c];
      if (c.kind === "move" && handedOver(c.instanceId, c.from)) {
        return [{ kind: "join", instanceId: c.instanceId, securityGroupId: c.to }];
      }
      return [c];
    });
  }

  /**
   * After a step fully succeeded, its resource holds the groups it joined or
   * adopted: a later leave of one of them in this apply is a hand-off.
   */
  private remember(decision: MembershipDecision): void {
    for (const n of decision.notes) {
      if (n.kind === "already-member") this.taken.add(pairKey(n.instanceId, n.securityGroupId));
    }
    for (const o of decision.operations) {
      if (o.action === "join") this.taken.add(pairKey(o.instanceId, o.securityGroupId));
    }
  }
}

function pairKey(instanceId: string, groupId: string): string {
  return `${instanceId}:${groupId}`;
}

function instanceIdsOf(changes: readonly Change[]): string[] {
  return [...new Set(changes.map((c) => c.instanceId))];
}
