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

/** What the `github` format produces: workflow commands for stdout, and Markdown for the job summary. */
export interface GithubOutput {
  /** `::error` / `::warning` / `::notice` lines, then the headline. */
  readonly commands: string;
  /** A heading and a table, to append to `$GITHUB_STEP_SUMMARY`. */
  readonly summary: string;
}

/**
 * The `github` format: one workflow command per finding (GitHub shows them as
 * annotations on the run), and a Markdown table for the step summary.
 */
export function writeGithub(report: Report): GithubOutput {
  return report.command === "check-plan" ? checkPlanGithub(report) : driftGithub(report);
}

function checkPlanGithub(report: CheckPlanReport): GithubOutput {
  const lines = report.findings.map((f) =>
    command(f.severity, `alisg ${f.code}`, `${f.labels.join(", ")}: ${sentenceOf(f)}\nFix: ${f.detail}`),
  );
  for (const c of report.checkedAtApply)
    lines.push(command("notice", "alisg checked at apply", `${c.label}: ${unknownReason(c)}`));
  lines.push(headline(report));
  // The network interface column only when a finding names an ENI.
  const enis = report.findings.some((f) => f.networkInterfaceId !== undefined);
  const rows = [
    ...report.findings.map((f) => [
      f.severity,
      `\`${f.code}\``,
      f.labels.map((l) => `\`${l}\``).join(", "),
      ...idCells(subjectIds(f), enis),
      f.securityGroupId ?? "",
      `${sentenceOf(f)}<br>**Fix:** ${f.detail}`,
    ]),
    ...report.checkedAtApply.map((c) => [
      "checked at apply",
      "",
      `\`${c.label}\``,
      ...(enis ? ["", ""] : [""]),
      "",
      unknownReason(c),
    ]),
  ];
  return {
    commands: `${lines.join("\n")}\n`,
    summary: markdown(
      headline(report),
      ["severity", "code", "address", ...idHeaders(enis), "group", "message"],
      rows,
    ),
  };
}

function driftGithub(report: DriftCommandReport): GithubOutput {
  const lines = report.items.map((i) =>
    command(
      i.kind === "missing" || i.kind === "extra" ? "warning" : "error",
      `alisg drift ${i.kind}`,
      `${driftAddress(i, report)}: ${i.message}`,
    ),
  );
  lines.push(headline(report));
  const enis = report.items.some((i) => i.networkInterfaceId !== undefined);
  const rows = report.items.map((i) => [
    i.kind,
    `\`${driftAddress(i, report)}\``,
    ...idCells(subjectIds(i), enis),
    i.securityGroupId ?? "",
    i.message,
  ]);
  return {
    commands: `${lines.join("\n")}\n`,
    summary: markdown(headline(report), ["kind", "address", ...idHeaders(enis), "group", "message"], rows),
  };
}

function idHeaders(enis: boolean): string[] {
  return enis ? ["instance", "network interface"] : ["instance"];
}

function idCells(ids: ReturnType<typeof subjectIds>, enis: boolean): string[] {
  return enis ? [ids.instanceId ?? "", ids.networkInterfaceId ?? ""] : [ids.instanceId ?? ""];
}

/** A workflow command; data and properties escaped the way the runner decodes them. */
function command(level: "error" | "warning" | "notice", title: string, message: string): string {
  return `::${level} title=${escapeProperty(title)}::${escapeData(message)}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function markdown(title: string, headers: string[], rows: string[][]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
  const out = [`### ${cell(title)}`, ""];
  if (rows.length > 0) {
    out.push(`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`);
    for (const r of rows) out.push(`| ${r.map(cell).join(" | ")} |`);
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
