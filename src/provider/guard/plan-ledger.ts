import { applyWork, known, type Finding, type Holding, type ResourceChange } from "../../membership";

/**
 * The changes planned so far in this provider process: the provider's view
 * of the whole plan, fed to `judgePlan` in `membership/`.
 *
 * Terraform plans each resource in its own PlanResourceChange call (10 at a
 * time), so no single call sees the whole plan. Every call records its
 * resource's change here (keyed by the resource's plan key, so the two
 * calls of a replacement are one entry) and is judged with every change
 * recorded for the same instances. A refusal in any call fails the whole
 * plan, and judging only ever finds more with more changes, so whichever
 * call is judged last sees the full picture.
 */
export class PlanLedger {
  private readonly changes = new Map<string, ResourceChange>();
  /** Instance ID -> keys of the changes touching it. */
  private readonly byInstance = new Map<string, Set<string>>();
  private readonly instancesOf = new Map<string, readonly string[]>();
  private readonly reported = new Set<string>();
  /** Keys of the changes whose instance is known only at apply. */
  private readonly floating = new Set<string>();
  /** A primary ENI's ID -> its instance's: one subject (see membership/subjects.ts). */
  private readonly aliases = new Map<string, string>();

  /** Records (or replaces) one resource's change. */
  record(change: ResourceChange): void {
    this.forget(change.resource);
    const instances = instancesOf(change).map((i) => this.aliases.get(i) ?? i);
    this.changes.set(change.resource, change);
    this.instancesOf.set(change.resource, instances);
    if (floating(change)) this.floating.add(change.resource);
    for (const i of instances) {
      const keys = this.byInstance.get(i) ?? new Set<string>();
      keys.add(change.resource);
      this.byInstance.set(i, keys);
    }
  }

  /**
   * `id` (a primary ENI) names the same subject as `subject` (its instance),
   * as the facts show: changes recorded under either are related from now on.
   */
  alias(id: string, subject: string): void {
    if (id === subject || this.aliases.get(id) === subject) return;
    this.aliases.set(id, subject);
    const moved = this.byInstance.get(id);
    if (!moved) return;
    this.byInstance.delete(id);
    const keys = this.byInstance.get(subject) ?? new Set<string>();
    for (const k of moved) {
      keys.add(k);
      this.instancesOf.set(
        k,
        (this.instancesOf.get(k) ?? []).map((i) => (i === id ? subject : i)),
      );
    }
    this.byInstance.set(subject, keys);
  }

  /**
   * The resource's change has been applied (in an apply process, Terraform
   * plans some changes again right before applying them): from now on it only
   * declares what its state holds (`holding`; null: nothing), with nothing
   * left to order.
   */
  settle(key: string, holding: Holding | null): void {
    const c = this.changes.get(key);
    if (!c) return;
    if (holding === null) this.forget(key);
    else this.record({ ...c, before: holding, after: holding, replacement: undefined });
  }

  /**
   * Every recorded change touching an instance `change` touches (itself
   * included), and every change whose instance is known only at apply (it
   * may touch any of them).
   */
  relatedTo(change: ResourceChange): ResourceChange[] {
    // A change whose instance is known only at apply may touch any of them: everything is related.
    if (floating(change))
      return [
        this.changes.get(change.resource) ?? change,
        ...[...this.changes.values()].filter((c) => c.resource !== change.resource),
      ];
    const keys = new Set<string>();
    const own =
      this.instancesOf.get(change.resource) ?? instancesOf(change).map((i) => this.aliases.get(i) ?? i);
    for (const i of own) {
      for (const k of this.byInstance.get(i) ?? []) keys.add(k);
    }
    for (const k of this.floating) keys.add(k);
    keys.delete(change.resource);
    return [
      this.changes.get(change.resource) ?? change,
      ...[...keys].flatMap((k) => this.changes.get(k) ?? []),
    ];
  }

  /**
   * The findings not reported yet by this process: each once, whichever
   * resource's call finds it (Terraform shows it under that resource).
   */
  unreported(findings: readonly Finding[]): Finding[] {
    return findings.filter((f) => {
      if (this.reported.has(f.summary)) return false;
      this.reported.add(f.summary);
      return true;
    });
  }

  private forget(key: string): void {
    for (const i of this.instancesOf.get(key) ?? []) this.byInstance.get(i)?.delete(key);
    this.instancesOf.delete(key);
    this.changes.delete(key);
    this.floating.delete(key);
  }
}

function instancesOf(change: ResourceChange): string[] {
  return [...applyWork([change]).keys()];
}

/** A change that will touch an instance known only at apply. */
function floating(c: ResourceChange): boolean {
  return c.after !== null && known(c.after) === undefined && c.after.instanceId === null;
}
