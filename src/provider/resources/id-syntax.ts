import { malformedIds } from "../../membership";
import type { Diagnostic } from "../plugin/types";
import { refusalDiagnostic } from "../guard/diagnostics";

/**
 * Malformed-ID refusals for the values known so far (validate and plan): an
 * instance ID or group IDs still unknown are judged at apply time. The rule
 * and its wording live in membership/; this only points each refusal at the
 * attribute that holds the bad ID.
 */
export function idSyntaxDiagnostics(
  instanceId: string | undefined,
  groupIds: string | readonly string[] | undefined,
  groupAttribute = "security_group_id",
  subjectAttribute = "instance_id",
): Diagnostic[] {
  const groups = groupIds === undefined ? [] : typeof groupIds === "string" ? [groupIds] : groupIds;
  return malformedIds(
    instanceId,
    groups.map((g) => ["join", g] as const),
  ).map((r) =>
    refusalDiagnostic(r, [r.code === "InvalidInstanceId.Malformed" ? subjectAttribute : groupAttribute]),
  );
}
