import { malformedIds } from "../../membership";
import type { Diagnostic } from "../plugin/types";
import { refusalDiagnostic } from "../guard/diagnostics";

/**
 * Malformed-ID refusals for the values known so far (validate and plan): an
 * instance (or ENI) ID or group IDs still unknown are judged at apply time.
 * The rule and its wording live in membership/; this only points each
 * refusal at the attribute that holds the bad ID. A subject named by
 * `network_interface_id` is an ENI: `InvalidEniId.Malformed`, as ECS answers.
 */
export function idSyntaxDiagnostics(
  instanceId: string | undefined,
  groupIds: string | readonly string[] | undefined,
  groupAttribute = "security_group_id",
  subjectAttribute: "instance_id" | "network_interface_id" = "instance_id",
): Diagnostic[] {
  const groups = groupIds === undefined ? [] : typeof groupIds === "string" ? [groupIds] : groupIds;
  return malformedIds(
    instanceId,
    groups.map((g) => ["join", g] as const),
    subjectAttribute === "network_interface_id" ? "eni" : "instance",
  ).map((r) =>
    refusalDiagnostic(r, [r.code === "InvalidSecurityGroupId.Malformed" ? groupAttribute : subjectAttribute]),
  );
}
