import { applyWork, type Finding, type ResourceChange } from "../../membership";

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
  private readonly reported = new Set<string>();

  /** Records (or replaces) one resource's change. */
  record(change: ResourceChange): void {
    this.changes.set(change.resource, change);
  }

  /**
   * The resource's change has been applied (in an apply process, Terraform
   * plans some changes again right before applying them): from now on it only
   * declares what it holds, with nothing left to order.
   */
  settle(key: string): void {
    const c = this.changes.get(key);
    if (!c) return;
    if (c.after === null) this.changes.delete(key);
    else this.changes.set(key, { ...c, before: c.after, replacement: undefined });
  }

  /** Every recorded change touching an instance `change` touches (itself included). */
  relatedTo(change: ResourceChange): ResourceChange[] {
    const instances = new Set(instancesOf(change));
    if (instances.size === 0) return [change];
    return [...this.changes.values()].filter((c) => instancesOf(c).some((i) => instances.has(i)));
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
}

function instancesOf(c: ResourceChange): string[] {
  return [...applyWork([c]).keys()];
}
