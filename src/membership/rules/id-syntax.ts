import { describeMalformedId, isWellFormedInstanceId, isWellFormedSecurityGroupId, quoteId } from "../ids";
import type { Change, Refusal } from "../types";
import { refusal, type RuleSubject } from "./subject";

const INSTANCE_HINT =
  "An instance ID is letters, digits, '-' and '_' only, e.g. i-bp1a2b3c4d. Check the value for spaces or a typo.";
const NETWORK_INTERFACE_HINT =
  "A network interface ID is letters, digits, '-' and '_' only, e.g. eni-bp1a2b3c4d. Check the value for spaces or a typo.";
const GROUP_HINT =
  "A security group ID is letters, digits, '-' and '_' only, e.g. sg-bp1a2b3c4d. Check the value for spaces or a typo.";

/**
 * IDs must be well formed (see `ids.ts`): an empty ID, one with spaces or odd
 * characters could never name an ECS resource. Checked before every other
 * rule, which would only add NotFound noise about the same typo.
 * Codes: `InvalidInstanceId.Malformed` (`InvalidEniId.Malformed` for an ENI,
 * as ECS answers), `InvalidSecurityGroupId.Malformed`.
 */
export function checkIdSyntax(s: RuleSubject): Refusal[] {
  const steps = s.changes.flatMap(stepsOf);
  return steps.length === 0
    ? []
    : malformedIds(s.instanceId, steps, s.namesNetworkInterface ? "eni" : "instance");
}

/**
 * The malformed-ID refusals for an instance (undefined: not known yet) and
 * the steps asked of it. With no step, only the instance ID is judged; with
 * no instance ID, only the groups. Used directly where not every value is
 * known yet (Terraform's validate and plan). `kind` says what the subject ID
 * names: an instance, or an ENI (`InvalidEniId.Malformed`).
 */
export function malformedIds(
  instanceId: string | undefined,
  steps: readonly (readonly ["join" | "leave", string])[],
  kind: "instance" | "eni" = "instance",
): Refusal[] {
  const refusals: Refusal[] = [];
  const eni = kind === "eni";
  if (instanceId !== undefined && !isWellFormedInstanceId(instanceId)) {
    const why = `${JSON.stringify(instanceId)} is not a valid ${eni ? "network interface" : "instance"} ID (${describeMalformedId(instanceId)})`;
    const [verb, group] = steps[0] ?? [];
    refusals.push(
      refusal(
        eni ? "InvalidEniId.Malformed" : "InvalidInstanceId.Malformed",
        instanceId,
        group,
        group === undefined ? why : `${why}, so it cannot ${verb} ${quoteId(group)}`,
        eni ? NETWORK_INTERFACE_HINT : INSTANCE_HINT,
      ),
    );
  }
  const subject =
    instanceId === undefined ? (eni ? "the network interface" : "the instance") : quoteId(instanceId);
  const reported = new Set<string>();
  for (const [verb, group] of steps) {
    if (reported.has(group) || isWellFormedSecurityGroupId(group)) continue;
    reported.add(group);
    refusals.push(
      refusal(
        "InvalidSecurityGroupId.Malformed",
        instanceId ?? "",
        group,
        `${JSON.stringify(group)} is not a valid security group ID (${describeMalformedId(group)}), so ${subject} cannot ${verb} it`,
        GROUP_HINT,
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
