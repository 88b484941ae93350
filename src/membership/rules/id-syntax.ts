import { describeMalformedId, isWellFormedInstanceId, isWellFormedSecurityGroupId } from "../ids";
import type { Change, Refusal } from "../types";
import { refusal, type RuleSubject } from "./subject";

/**
 * IDs must be well formed (see `ids.ts`): an empty ID, one with spaces or odd
 * characters could never name an ECS resource. Checked before every other
 * rule, which would only add NotFound noise about the same typo.
 * Codes: `InvalidInstanceId.Malformed`, `InvalidSecurityGroupId.Malformed`.
 */
export function checkIdSyntax(s: RuleSubject): Refusal[] {
  const refusals: Refusal[] = [];
  const steps = s.changes.flatMap(stepsOf);
  if (steps.length > 0 && !isWellFormedInstanceId(s.instanceId)) {
    const [verb, group] = steps[0];
    refusals.push(
      refusal(
        "InvalidInstanceId.Malformed",
        s.instanceId,
        group,
        `${JSON.stringify(s.instanceId)} is not a valid instance ID (${describeMalformedId(s.instanceId)}), so it cannot ${verb} ${group}`,
        "An instance ID is letters, digits, '-' and '_' only, e.g. i-bp1a2b3c4d. Check the value for spaces or a typo.",
      ),
    );
  }
  const reported = new Set<string>();
  for (const [verb, group] of steps) {
    if (reported.has(group) || isWellFormedSecurityGroupId(group)) continue;
    reported.add(group);
    refusals.push(
      refusal(
        "InvalidSecurityGroupId.Malformed",
        s.instanceId,
        group,
        `${JSON.stringify(group)} is not a valid security group ID (${describeMalformedId(group)}), so ${s.instanceId} cannot ${verb} it`,
        "A security group ID is letters, digits, '-' and '_' only, e.g. sg-bp1a2b3c4d. Check the value for spaces or a typo.",
      ),
    );
  }
  return refusals;
}

/** A change as the calls it asks for: a move joins `to`, then leaves `from`. */
function stepsOf(c: Change): ["join" | "leave", string][] {
  return c.kind === "move"
    ? [
        ["join", c.to],
        ["leave", c.from],
      ]
    : [[c.kind, c.securityGroupId]];
}
