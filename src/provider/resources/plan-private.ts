import { randomUUID } from "node:crypto";
import type { Holding } from "../../membership";

/**
 * What the provider keeps in a resource's private data between Terraform's
 * calls (never in state: applies return empty private data).
 *
 * Terraform plans a replacement in two calls: first with the prior state,
 * then again with a null prior state and, as prior private data, what the
 * first call returned. So the first call leaves the resource's plan key and
 * what it held, and the second call knows it plans the new object of the
 * same resource. The second call's answer reaches the apply of both halves:
 * what the new object declares tells the delete half what it keeps. A tainted
 * object is planned in one call, as a create with no prior state and no
 * private data, and its answer reaches both halves too.
 */
export interface PlanPrivate {
  /** The resource's key in this process's plan ledger. */
  readonly key: string;
  /** What the resource held before this plan (set by a call with a prior state). */
  readonly before?: Holding;
  /** The resource held before had retain_on_delete set. */
  readonly retain?: boolean;
  /** What the planned object declares (set by the planning of a create or an update). */
  readonly after?: Holding;
}

const MARK = "alisg/v1";

export function encodePlanPrivate(p: PlanPrivate): Buffer {
  return Buffer.from(JSON.stringify({ [MARK]: p }));
}

/** The private data this provider wrote, or undefined (empty, or written by an older version). */
export function decodePlanPrivate(buf: Buffer | undefined): PlanPrivate | undefined {
  if (!buf || buf.length === 0) return undefined;
  try {
    const v = (JSON.parse(buf.toString("utf8")) as Record<string, unknown>)[MARK] as PlanPrivate | undefined;
    return v && typeof v.key === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A key for a resource planned for the first time in this process. */
export function newPlanKey(): string {
  return randomUUID();
}
