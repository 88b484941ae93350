import {
  driftAddress,
  headline,
  sentenceOf,
  subjectIds,
  unknownReason,
  type CheckPlanReport,
  type DriftCommandReport,
  type Report,
} from "./report";

/**
 * The `text` format, for people: check-plan prints one line per finding,
 * `CODE address: sentence`, with the fix indented below it; drift prints a
 * table. Plain text, no colour codes, so it reads the same in a CI log.
 */
export function writeText(report: Report): string {
  return report.command === "check-plan" ? checkPlanText(report) : driftText(report);
}

function checkPlanText(report: CheckPlanReport): string {
  const lines: string[] = [];
  const ordered = [...report.findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  for (const f of ordered) {
    const tag = f.severity === "warning" ? "warning: " : "";
    lines.push(`${tag}${f.code} ${f.labels.join(", ")}: ${sentenceOf(f)}`);
    lines.push(`  fix: ${f.detail}`);
  }
  for (const c of report.checkedAtApply) lines.push(`checked at apply: ${c.label}: ${unknownReason(c)}`);
  lines.push(headline(report));
  return `${lines.join("\n")}\n`;
}

function driftText(report: DriftCommandReport): string {
  if (report.items.length === 0) return `${headline(report)}\n`;
  // The ENI column only when an ENI resource drifted, so instance-only reports read as before.
  const enis = report.items.some((i) => i.networkInterfaceId !== undefined);
  const rows = report.items.map((i) => {
    const ids = subjectIds(i);
    return [
      i.kind,
      driftAddress(i, report),
      ids.instanceId ?? "-",
      ...(enis ? [ids.networkInterfaceId ?? "-"] : []),
      i.securityGroupId ?? "-",
    ];
  });
  const headers = ["KIND", "ADDRESS", "INSTANCE", ...(enis ? ["ENI"] : []), "GROUP"];
  const widths = headers.map((h, n) => Math.max(h.length, ...rows.map((r) => r[n].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, n) => c.padEnd(widths[n]))
      .join("  ")
      .trimEnd();
  const out = [line(headers), ...rows.map(line), ""];
  report.items.forEach((i) => out.push(`${i.kind} ${driftAddress(i, report)}: ${i.message}`));
  out.push(headline(report));
  return `${out.join("\n")}\n`;
}
