import type { IgnoreEntry } from "./drift";
import { GitopsInputError, isRecord, parseJson } from "./input-error";

/**
 * Reads `--ignore FILE`: a JSON list of known drift to leave out of the
 * report, `[{"instance_id": "i-1", "security_group_id": "sg-1"}, ...]`
 * (`network_interface_id` in place of `instance_id` for an ENI); an entry
 * without `security_group_id` leaves out every drift of the instance or ENI.
 */
export function readIgnoreFile(text: string, source: string): IgnoreEntry[] {
  const doc = parseJson(text, source);
  if (!Array.isArray(doc)) {
    throw new GitopsInputError(
      `${source}: expected a JSON list of {"instance_id", "security_group_id"} entries`,
    );
  }
  return doc.map((entry, n) => {
    const subject = isRecord(entry) ? (entry.instance_id ?? entry.network_interface_id) : undefined;
    if (!isRecord(entry) || typeof subject !== "string" || subject === "") {
      throw new GitopsInputError(`${source}: entry ${n + 1} has no instance_id (or network_interface_id)`);
    }
    const group = entry.security_group_id;
    if (group !== undefined && group !== null && typeof group !== "string") {
      throw new GitopsInputError(`${source}: entry ${n + 1}: security_group_id must be a string`);
    }
    return {
      instanceId: subject,
      ...(typeof group === "string" ? { securityGroupId: group } : {}),
    };
  });
}
