import {
  counts,
  driftCounts,
  exitCodeOf,
  REPORT_FORMAT_VERSION,
  sentenceOf,
  subjectIds,
  unknownReason,
  type Report,
} from "./report";

/**
 * The `json` format, for machines: versioned (`format_version`, now "1.0";
 * fields are only ever added within 1.x). check-plan: `findings` and
 * `summary`; drift: `drift` and `summary`. Each finding and drift item has
 * `instance_id` and `network_interface_id` (see `subjectIds`).
 */
export function writeJson(report: Report): string {
  return `${JSON.stringify(report.command === "check-plan" ? checkPlanJson(report) : driftJson(report), null, 2)}\n`;
}

function checkPlanJson(report: Extract<Report, { command: "check-plan" }>): object {
  const { errors, warnings } = counts(report);
  return {
    format_version: REPORT_FORMAT_VERSION,
    findings: report.findings.map((f) => ({
      severity: f.severity,
      code: f.code,
      address: f.labels[0] ?? null,
      addresses: f.labels,
      instance_id: subjectIds(f).instanceId,
      network_interface_id: subjectIds(f).networkInterfaceId,
      security_group_id: f.securityGroupId ?? null,
      message: sentenceOf(f),
      fix: f.detail,
    })),
    checked_at_apply: report.checkedAtApply.map((c) => ({ address: c.label, reason: unknownReason(c) })),
    summary: {
      result: exitCodeOf(report) === 2 ? "refused" : "safe",
      errors,
      warnings,
      checked_at_apply: report.checkedAtApply.length,
      plans: report.plans,
      changes: report.changes,
    },
  };
}

function driftJson(report: Extract<Report, { command: "drift" }>): object {
  return {
    format_version: REPORT_FORMAT_VERSION,
    drift: report.items.map((i) => ({
      kind: i.kind,
      address: i.address,
      source: i.source,
      instance_id: subjectIds(i).instanceId,
      network_interface_id: subjectIds(i).networkInterfaceId,
      security_group_id: i.securityGroupId ?? null,
      message: i.message,
    })),
    summary: {
      result: report.items.length > 0 ? "drift" : "clean",
      total: report.items.length,
      by_kind: driftCounts(report.items),
      ignored: report.ignored,
      resources: report.resources,
      sources: report.sources,
    },
  };
}
