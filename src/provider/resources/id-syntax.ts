import { describeMalformedId, isWellFormedInstanceId } from "../../membership/ids";
import { checkIdSyntax, subjectOf } from "../../membership/rules";
import type { Change } from "../../membership/types";
import type { Diagnostic } from "../plugin/types";
import { refusalDiagnostic } from "./diagnostics";

const NO_FACTS = { instances: new Map(), groups: new Map() } as const;

/**
 * Malformed-ID refusals for known values, before any facts are gathered
 * (validate and plan). The rule and its wording live in membership/; this
 * only points each refusal at the attribute that holds the bad ID.
 */
export function idSyntaxDiagnostics(
  instanceId: string | undefined,
  groupIds: string | readonly string[] | undefined,
  groupAttribute = "security_group_id",
): Diagnostic[] {
  if (instanceId === undefined) return [];
  const groups = groupIds === undefined ? [] : typeof groupIds === "string" ? [groupIds] : groupIds;
  if (groups.length === 0) {
    // No group to name (unknown until apply, or an import by instance ID): judge the instance ID alone.
    if (isWellFormedInstanceId(instanceId)) return [];
    return [
      {
        severity: "error",
        summary: `InvalidInstanceId.Malformed: ${JSON.stringify(instanceId)} is not a valid instance ID (${describeMalformedId(instanceId)})`,
        detail:
          "An instance ID is letters, digits, '-' and '_' only, e.g. i-bp1a2b3c4d. Check the value for spaces or a typo.",
        attribute: ["instance_id"],
      },
    ];
  }
  const changes: Change[] = groups.map((securityGroupId) => ({ kind: "join", instanceId, securityGroupId }));
  return checkIdSyntax(subjectOf(NO_FACTS, instanceId, changes)).map((r) =>
    refusalDiagnostic(r, [r.code === "InvalidInstanceId.Malformed" ? "instance_id" : groupAttribute]),
  );
}
