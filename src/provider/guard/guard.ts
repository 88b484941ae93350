import type { Deadline, EcsApi } from "../../ecs/types";
import {
  callsAt,
  changesOf,
  decideMembership,
  factsNeeded,
  judgePlan,
  makesNoCall,
  memberFacts,
  namesNetworkInterface,
  stepsOf,
  subjectIdOf,
  type ApplyStep,
  type Holding,
  type ResourceChange,
} from "../../membership";
import {
  NO_POLICY,
  type Facts,
  type InstanceFacts,
  type Note,
  type Operation,
  type Policy,
} from "../../membership/types";
import type { Diagnostic } from "../plugin/types";
import { KeyedQueue } from "../../util/keyed-queue";
import { apiErrorDiagnostic, findingDiagnostic, noteDiagnostics, refusalDiagnostic } from "./diagnostics";
import { beforeDeadline } from "./deadline";
import type { FactsSource } from "./facts";
import { PlanLedger } from "./plan-ledger";

/** What one step's apply did. */
export interface StepOutcome {
  readonly diagnostics: Diagnostic[];
  /** Every call the step needed was made (or none was needed). */
  readonly ok: boolean;
  /** The rules refused (or the facts could not be read) before any call was made. */
  readonly refused: boolean;
  /** Calls that took effect (or were found already done). */
  readonly completed: readonly Operation[];
  /**
   * The instance's groups once the step is over, as far as they are known:
   * described anew after a failure; `null` when they could not be described
   * (what ECS did is then unknown), `"gone"` when the instance does not exist,
   * `undefined` when the step needed no call.
   */
  readonly groupsAfter?: readonly string[] | null | "gone";
  /**
   * After a failure: the instance's groups other steps of this apply had
   * taken. They are those steps' resources' now (the standing rule), so the
   * failed resource's state must not record them as its own.
   */
  readonly takenByOthers?: readonly string[];
  /**
   * After a failure: the groups this step joined (calls made, not groups it
   * found and adopted), and the one whose call failed when what ECS did could
   * not be described.
   */
  readonly joined?: readonly string[];
}

/**
 * The single path through which resources check and make membership changes,
 * both asking `membership/`:
 * - at plan time, each resource's change is judged with every change planned
 *   in this process (`judgePlan`, the whole-plan model), and with the groups
 *   this process's applies have already taken (Terraform plans creates and
 *   updates once more in the apply walk, right before applying them);
 * - at apply time, a resource's step (`stepsOf`, the one definition of what
 *   an apply does) is turned into calls against facts described just before
 *   (`callsAt`, which skips the leaves of groups another step of this apply
 *   took: hand-offs), re-checked (`decideMembership`) and made, joins before
 *   leaves, one instance at a time.
 */
export class MembershipGuard {
  private readonly ledger = new PlanLedger();
  private readonly locks = new KeyedQueue();
  /** Per instance, the groups taken by this process's applies (the standing rule). */
  private readonly taken = new Map<string, Set<string>>();
  /** Set once this process applies: later plan-time reads wait for the instance's step in flight. */
  private applying = false;

  /** `policy`: the provider's protected groups, judged at plan time and re-checked before each Leave. */
  constructor(
    private readonly facts: FactsSource,
    private readonly api: EcsApi,
    private readonly policy: Policy = NO_POLICY,
  ) {}

  /**
   * Plan-time judgement of one resource's change together with every change
   * planned in this process for the same instances. Returns the findings no
   * earlier call reported (each finding is reported once).
   */
  async planChange(change: ResourceChange): Promise<Diagnostic[]> {
    this.ledger.record(change);
    let related = this.ledger.relatedTo(change);
    let facts: Facts;
    try {
      // Other calls may record more changes while we describe: describe until nothing new is needed.
      let needed = factsNeeded(related);
      for (;;) {
        facts = await this.planningFacts(
          needed.instanceIds,
          needed.securityGroupIds,
          needed.networkInterfaceIds,
        );
        // A primary ENI and its instance are one subject: their changes are judged together.
        for (const id of needed.networkInterfaceIds) this.ledger.alias(id, subjectIdOf(facts, id));
        related = this.ledger.relatedTo(change);
        const now = factsNeeded(related);
        if (
          now.instanceIds.every((i) => needed.instanceIds.includes(i)) &&
          now.networkInterfaceIds.every((e) => needed.networkInterfaceIds.includes(e)) &&
          now.securityGroupIds.every((g) => needed.securityGroupIds.includes(g))
        )
          break;
        needed = now;
      }
    } catch (err) {
      return [apiErrorDiagnostic(err, "describing the instances this plan changes")];
    }
    const taken = new Map([...this.taken].map(([i, groups]) => [i, [...groups]]));
    const judgement = judgePlan(facts, related, {
      taken,
      protectedSecurityGroupIds: this.policy.protectedSecurityGroupIds,
    });
    return this.ledger.unreported(judgement.findings).map(findingDiagnostic);
  }

  /** The resource's change was applied and its state holds `holding`: nothing left to order. */
  settled(key: string, holding: Holding | null): void {
    this.ledger.settle(key, holding);
  }

  /**
   * The member as described right now (undefined: it does not exist): an
   * instance, or an ENI (`eni`), a primary ENI being its instance.
   */
  async describe(id: string, eni = false): Promise<InstanceFacts | undefined> {
    const facts = await this.facts.fresh(eni ? [] : [id], [], eni ? [id] : []);
    return memberFacts(facts, subjectIdOf(facts, id));
  }

  /**
   * Applies one step of a resource's change: the step `stepsOf` defines for
   * it (`half` picks the delete or create half of a replacement), its calls
   * worked out against facts described right now and re-checked before any is
   * made. A step that can make no call (everything it would leave was taken
   * by this apply, or is forgotten) describes nothing.
   */
  applyStep(
    change: ResourceChange,
    half: "delete" | "create" | undefined,
    deadline?: Deadline,
  ): Promise<StepOutcome> {
    this.applying = true;
    const found = stepsOf(change).find((s) => (half ? s.step.half === half : true));
    if (!found) return Promise.resolve({ diagnostics: [], ok: true, refused: false, completed: [] });
    const member: Member = { id: found.instanceId, eni: namesNetworkInterface(change.kind) };
    return this.subjectOf(member).then((subject) =>
      this.locks.run(subject, () => this.runStep(member, subject, found.step, deadline)),
    );
  }

  /**
   * The subject a member's steps are serialised and judged under: its ID, or
   * for a primary ENI its instance's (as last described; the step re-checks
   * on fresh facts). Falls back to the ID when the ENI cannot be described.
   */
  private async subjectOf(member: Member): Promise<string> {
    if (!member.eni) return member.id;
    try {
      const eni = await this.facts.networkInterface(member.id);
      return eni && eni.type === "Primary" && eni.instanceId ? eni.instanceId : member.id;
    } catch {
      return member.id;
    }
  }

  private async runStep(
    member: Member,
    subject: string,
    step: ApplyStep,
    deadline?: Deadline,
  ): Promise<StepOutcome> {
    const named = member.id;
    if (makesNoCall(step, this.takenOf(subject))) {
      return { diagnostics: [], ok: true, refused: false, completed: [] };
    }
    let facts: Facts;
    try {
      facts = await beforeDeadline(
        this.facts.fresh(member.eni ? [] : [named], step.joins, member.eni ? [named] : []),
        deadline,
      );
    } catch (err) {
      return {
        diagnostics: [apiErrorDiagnostic(err, `describing ${named}`)],
        ok: false,
        refused: true,
        completed: [],
        groupsAfter: null,
      };
    }
    // An instance and its primary ENI are one subject: one list of groups, one record of what was taken.
    const instanceId = subjectIdOf(facts, named);
    const taken = this.takenOf(instanceId);
    const live = memberFacts(facts, instanceId);
    const calls = callsAt(step, live?.securityGroupIds ?? [], taken);
    // The protected groups too: a Leave is never made of one, whatever was planned.
    const decision = decideMembership(facts, changesOf(instanceId, calls), this.policy);
    if (decision.refusals.length > 0) {
      return {
        diagnostics: decision.refusals.map((r) => refusalDiagnostic(r)),
        ok: false,
        refused: true,
        completed: [],
        groupsAfter: live ? live.securityGroupIds : "gone",
      };
    }
    // Adopting is no news for a replacement's old half (it joins for the new object) or for a
    // group this apply already took (that half joined it).
    const diagnostics = noteDiagnostics(
      decision.notes.filter((n) => step.half !== "delete" && !this.adoptsTaken(n, taken)),
    );
    const completed: Operation[] = [];
    // The call names what the resource names: InstanceId, or NetworkInterfaceId (never both).
    const options = { deadline, member: member.eni ? ("networkInterface" as const) : ("instance" as const) };
    for (const op of decision.operations) {
      try {
        if (op.action === "join") await this.api.joinSecurityGroup(named, op.securityGroupId, options);
        else await this.api.leaveSecurityGroup(named, op.securityGroupId, options);
        completed.push(op);
      } catch (err) {
        this.changed(instanceId, named);
        // The answer may have been lost after ECS made the change: look before calling it failed.
        const groupsAfter = await this.groupsNow(member);
        if (
          Array.isArray(groupsAfter) &&
          groupsAfter.includes(op.securityGroupId) === (op.action === "join")
        ) {
          completed.push(op);
          diagnostics.push(lostAnswerDiagnostic(err, op));
          continue;
        }
        const verb = op.action === "join" ? "joining" : "leaving";
        diagnostics.push(apiErrorDiagnostic(err, `${verb} ${op.securityGroupId} with ${named}`));
        const takenByOthers = [...taken];
        const joined = [
          ...completed.filter((o) => o.action === "join").map((o) => o.securityGroupId),
          ...(op.action === "join" && groupsAfter === null ? [op.securityGroupId] : []),
        ];
        // What the resource holds now stays its own for the rest of the apply.
        if (Array.isArray(groupsAfter))
          this.take(
            instanceId,
            step.takes.filter((g) => groupsAfter.includes(g)),
          );
        return { diagnostics, ok: false, refused: false, completed, groupsAfter, takenByOthers, joined };
      }
    }
    if (completed.length > 0) this.changed(instanceId, named);
    this.take(instanceId, step.takes);
    const groupsAfter = live ? applied(live.securityGroupIds, decision.operations) : ("gone" as const);
    return { diagnostics, ok: true, refused: false, completed, groupsAfter };
  }

  /** The member's groups described anew; null when that fails too. */
  private async groupsNow(member: Member): Promise<readonly string[] | null | "gone"> {
    try {
      const now = await this.describe(member.id, member.eni);
      return now ? now.securityGroupIds : "gone";
    } catch {
      return null;
    }
  }

  /** Cached facts of the subject and of the member named (a primary ENI and its instance) are stale. */
  private changed(subject: string, named: string): void {
    this.facts.changed(subject);
    if (named !== subject) this.facts.changed(named);
  }

  /** Plan-time facts; once this process applies, read between steps, never in the middle of one. */
  private async planningFacts(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    networkInterfaceIds: readonly string[],
  ): Promise<Facts> {
    const read = () => this.facts.planning(instanceIds, groupIds, networkInterfaceIds);
    if (!this.applying) return read();
    const subjects = await Promise.all(networkInterfaceIds.map((id) => this.subjectOf({ id, eni: true })));
    const locked = (ids: readonly string[]): Promise<Facts> =>
      ids.length === 0 ? read() : this.locks.run(ids[0], () => locked(ids.slice(1)));
    return locked([...new Set([...instanceIds, ...subjects])].sort());
  }

  private takenOf(instanceId: string): ReadonlySet<string> {
    return this.taken.get(instanceId) ?? new Set();
  }

  private take(instanceId: string, groups: readonly string[]): void {
    if (groups.length === 0) return;
    const set = this.taken.get(instanceId) ?? new Set<string>();
    for (const g of groups) set.add(g);
    this.taken.set(instanceId, set);
  }

  private adoptsTaken(n: Note, taken: ReadonlySet<string>): boolean {
    return n.kind === "already-member" && taken.has(n.securityGroupId);
  }
}

/** What a resource names: an instance ID, or an ENI ID (`eni`). */
interface Member {
  readonly id: string;
  readonly eni: boolean;
}

/** A call that failed, although ECS shows it made: its answer was lost (a timeout, a 5xx after the change). */
function lostAnswerDiagnostic(err: unknown, op: Operation): Diagnostic {
  const what = op.action === "join" ? `joining ${op.securityGroupId}` : `leaving ${op.securityGroupId}`;
  const code = (err as { code?: unknown } | null)?.code;
  return {
    severity: "warning",
    summary: `Answer lost: ${what} with ${op.instanceId} failed${typeof code === "string" ? ` (${code})` : ""}, but ECS shows it was made`,
    detail:
      "The call's answer was lost after ECS made the change (a timeout or a server error). alisg described the instance again, found the change made, and carried on.",
  };
}

/** The groups after the operations were made. */
function applied(groups: readonly string[], ops: readonly Operation[]): string[] {
  const now = new Set(groups);
  for (const op of ops) {
    if (op.action === "join") now.add(op.securityGroupId);
    else now.delete(op.securityGroupId);
  }
  return [...now];
}
