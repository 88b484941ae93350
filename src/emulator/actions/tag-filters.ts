/**
 * The `Tag.N.Key` / `Tag.N.Value` filters of `DescribeInstances` (N from 1 to
 * 20). Every pair must match (they are ANDed, like the action's other
 * filters): the instance has a tag with that key and, when a value is given,
 * that value. A key without a value matches any value, as ECS tag queries do.
 * An empty parameter is no filter, as ECS treats empty request parameters.
 */
import { ApiError } from "../api-error";
import type { Params } from "../params";
import { MAX_TAGS, type InstanceRecord } from "../state";

export interface TagFilter {
  readonly key: string;
  /** undefined: any value. */
  readonly value?: string;
}

const TAG_PARAMETER = /^Tag\.(\d+)\.(Key|Value)$/;

export function tagFilters(params: Params): TagFilter[] {
  const byIndex = new Map<number, { key?: string; value?: string }>();
  for (const [name, raw] of Object.entries(params)) {
    const match = TAG_PARAMETER.exec(name);
    if (!match) continue;
    const n = Number(match[1]);
    if (!Number.isInteger(n) || n < 1 || n > MAX_TAGS || String(n) !== match[1]) {
      throw new ApiError(
        400,
        "InvalidParameter.Tag",
        `The specified parameter ${name} is not valid: N in Tag.N must be an integer from 1 to ${MAX_TAGS}.`,
      );
    }
    const entry = byIndex.get(n) ?? {};
    if (raw !== "") entry[match[2] === "Key" ? "key" : "value"] = raw;
    byIndex.set(n, entry);
  }
  const filters: TagFilter[] = [];
  for (const [n, { key, value }] of [...byIndex].sort(([a], [b]) => a - b)) {
    if (key === undefined) {
      if (value === undefined) continue;
      throw new ApiError(
        400,
        `MissingParameter.Tag.${n}.Key`,
        `The input parameter "Tag.${n}.Key" is mandatory when Tag.${n}.Value is specified.`,
      );
    }
    filters.push(value === undefined ? { key } : { key, value });
  }
  return filters;
}

export function matchesTags(inst: InstanceRecord, filters: readonly TagFilter[]): boolean {
  return filters.every((f) =>
    inst.tags.some((t) => t.key === f.key && (f.value === undefined || t.value === f.value)),
  );
}
