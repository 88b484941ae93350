import type { Refusal } from "../types";
import { joinTargetsOf, refusal, type RuleSubject } from "./subject";

/**
 * Joining needs an instance (or ENI: `eni`, code `InvalidEniId.NotFound`) that exists. (Leaving a group of an instance that
 * is gone is not refused: there is nothing to do, and the planner notes it.)
 * Code: `InvalidInstanceId.NotFound`.
 */
export function checkInstanceExists(s: RuleSubject, eni = false): Refusal[] {
  if (s.instance) return [];
  return joinTargetsOf(s.changes).map((g) =>
    refusal(
      eni ? "InvalidEniId.NotFound" : "InvalidInstanceId.NotFound",
      s.instanceId,
      g,
      `${s.instanceId} does not exist, so it cannot join ${g}`,
      `Check the ${eni ? "network interface" : "instance"} ID and the provider's region. If it was deleted, remove the attachment from the configuration.`,
    ),
  );
}
