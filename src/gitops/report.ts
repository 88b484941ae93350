import type { Finding, ResourceChange } from "../membership";
import type { DriftItem } from "./drift";

/** Version of the `json` output of both commands. */
export const REPORT_FORMAT_VERSION = "1.0";

/** What `alisg check-plan` found, ready for a writer. */
export interface CheckPlanReport {
  readonly command: "check-plan";
  readonly findings: readonly Finding[];
  /** Changes whose values are unknown until apply: checked then, not refused. */
  readonly checkedAtApply: readonly ResourceChange[];
  readonly plans: number;
  /** Membership changes read from the plans (no-ops included). */
  readonly changes: number;
}

/** What `alisg drift` found, ready for a writer. */
export interface DriftCommandReport {
  readonly command: "drift";
  readonly items: readonly DriftItem[];
  readonly ignored: number;
  readonly resources: number;
  readonly sources: number;
}

export type Report = CheckPlanReport | DriftCommandReport;

/** 0 clean, 2 found something (a refusal, or drift). */
export function exitCodeOf(report: Report): 0 | 2 {
  if (report.command === "check-plan") return report.findings.some((f) => f.severity === "error") ? 2 : 0;
  return report.items.length > 0 ? 2 : 0;
}

/**
 * The IDs a finding or drift item names, as the reports write them: the
 * instance, or null when the row is about an ENI that is not an instance's
 * primary one; and the ENI, or null when no ENI is involved. A primary ENI is
 * one subject with its instance, so its rows name both.
 */
export function subjectIds(x: { readonly instanceId: string; readonly networkInterfaceId?: string }): {
  instanceId: string | null;
  networkInterfaceId: string | null;
} {
  const eni = x.networkInterfaceId ?? null;
  return { instanceId: eni !== null && eni === x.instanceId ? null : x.instanceId, networkInterfaceId: eni };
}

/** The finding's sentence without the leading `CODE: `. */
export function sentenceOf(f: Finding): string {
  const prefix = `${f.code}: `;
  return f.summary.startsWith(prefix) ? f.summary.slice(prefix.length) : f.summary;
}

/** Why a change is checked at apply: which of its values are unknown. */
export function unknownReason(c: ResourceChange): string {
  const sides = [c.before, c.after].filter((h) => h !== null);
  const instance = sides.some((h) => h!.instanceId === null);
  const groups = sides.some((h) => h!.securityGroupIds === null);
  const what = instance && groups ? "instance and groups are" : instance ? "instance is" : "groups are";
  return `its ${what} known only at apply: checked then`;
}

export function counts(report: CheckPlanReport): { errors: number; warnings: number } {
  return {
    errors: report.findings.filter((f) => f.severity === "error").length,
    warnings: report.findings.filter((f) => f.severity === "warning").length,
  };
}

export function driftCounts(items: readonly DriftItem[]): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const i of items) byKind[i.kind] = (byKind[i.kind] ?? 0) + 1;
  return byKind;
}

/** The address a drift item names, qualified by its source when several states are reported. */
export function driftAddress(item: DriftItem, report: DriftCommandReport): string {
  return report.sources > 1 ? `${item.source}: ${item.address}` : item.address;
}

/** One plain line that sums the report up. */
export function headline(report: Report): string {
  if (report.command === "check-plan") {
    const { errors, warnings } = counts(report);
    const verdict = errors > 0 ? "refused" : "safe";
    const unknown = report.checkedAtApply.length;
    return `alisg check-plan: ${verdict}: ${plural(errors, "error")}, ${plural(warnings, "warning")}${unknown ? `, ${unknown} checked at apply` : ""} (${plural(report.changes, "membership change")} in ${plural(report.plans, "plan")})`;
  }
  const kinds = Object.entries(driftCounts(report.items))
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  const ignored = report.ignored ? `, ${report.ignored} ignored` : "";
  return report.items.length > 0
    ? `alisg drift: ${plural(report.items.length, "difference")} (${kinds})${ignored} in ${plural(report.resources, "resource")}`
    : `alisg drift: no drift${ignored} in ${plural(report.resources, "resource")}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
