import { judgePlan, type Facts, type ResourceChange } from "../membership";
import type { StateResource } from "./state-reader";

/**
 * How a membership in Terraform state differs from ECS:
 * - `missing`: a declared membership is gone; the next apply joins it again;
 * - `extra`: a group on an instance whose set is authoritative, not listed; the next apply leaves it;
 * - `instance_gone` / `group_gone`: the instance or group no longer exists;
 * - `blocked`: drift the next apply cannot correct (the reason is in the message).
 */
export type DriftKind = "missing" | "extra" | "instance_gone" | "group_gone" | "blocked";

export interface DriftItem {
  readonly kind: DriftKind;
  /** The state the resource was found in (a file or a working dir). */
  readonly source: string;
  readonly address: string;
  readonly instanceId: string;
  readonly securityGroupId?: string;
  /** What is wrong and what the next apply does about it (for `blocked`: why it cannot). */
  readonly message: string;
}

/** A known drift to leave out of the report (`--ignore FILE`); no group = every drift of the instance. */
export interface IgnoreEntry {
  readonly instanceId: string;
  readonly securityGroupId?: string;
}

export interface DriftReport {
  readonly items: readonly DriftItem[];
  /** Drift found but left out because it matched the ignore list. */
  readonly ignored: number;
  /** Resources compared. */
  readonly resources: number;
}

/**
 * Compares every membership resource of the states with live facts. Whether
 * the next apply can correct a drift is asked of the whole-plan model: the
 * corrections the next apply would make are judged like a plan, and drift
 * whose correction would be refused is `blocked`, with the refusal as reason.
 * Pure: `facts` must describe every instance and group the states name.
 */
export function compareDrift(
  resources: readonly StateResource[],
  facts: Facts,
  ignore: readonly IgnoreEntry[] = [],
): DriftReport {
  const items: DriftItem[] = [];
  const corrections = new Map<string, ResourceChange>();
  const key = (r: StateResource) => `${r.source}\u0000${r.address}`;
  const declared: ResourceChange[] = [];

  for (const r of resources) {
    const instance = facts.instances.get(r.instanceId);
    const base = { source: r.source, address: r.address, instanceId: r.instanceId };
    const holding = { instanceId: r.instanceId, securityGroupIds: r.securityGroupIds };
    const change = { resource: key(r), label: r.address, kind: r.kind };
    if (!instance) {
      items.push({
        ...base,
        kind: "instance_gone",
        ...(r.kind === "alisg_attachment" ? { securityGroupId: r.securityGroupIds[0] } : {}),
        message: `${r.instanceId} no longer exists: remove ${r.address} from the code (a refresh drops it from the state, and creating it again is refused with InvalidInstanceId.NotFound)`,
      });
      continue;
    }
    const gone = r.securityGroupIds.filter((g) => !facts.groups.has(g));
    for (const g of gone) {
      items.push({
        ...base,
        kind: "group_gone",
        securityGroupId: g,
        message: `${g} no longer exists: remove it from ${r.address} (joining it again is refused with InvalidSecurityGroupId.NotFound)`,
      });
    }
    const missing = r.securityGroupIds.filter(
      (g) => facts.groups.has(g) && !instance.securityGroupIds.includes(g),
    );
    for (const g of missing) {
      items.push({
        ...base,
        kind: "missing",
        securityGroupId: g,
        message: `${r.instanceId} is not in ${g} any more: the next apply joins it again`,
      });
    }
    const extra =
      r.kind === "alisg_instance_security_groups"
        ? instance.securityGroupIds.filter((g) => !r.securityGroupIds.includes(g))
        : [];
    for (const g of extra) {
      items.push({
        ...base,
        kind: "extra",
        securityGroupId: g,
        message: `${r.instanceId} is in ${g}, which its authoritative set does not list: the next apply leaves it`,
      });
    }
    if (gone.length > 0 || (missing.length === 0 && extra.length === 0)) {
      declared.push({ ...change, before: holding, after: holding });
    } else if (r.kind === "alisg_attachment") {
      // A refresh drops the attachment from the state; the plan creates it again.
      corrections.set(key(r), { ...change, before: null, after: holding });
    } else {
      const now = { instanceId: r.instanceId, securityGroupIds: instance.securityGroupIds };
      corrections.set(key(r), { ...change, before: now, after: holding });
    }
  }

  const judgement = judgePlan(facts, [...declared, ...corrections.values()]);
  const blockedBy = new Map<string, string>();
  for (const f of judgement.findings) {
    if (f.severity !== "error") continue;
    for (const resource of f.resources) {
      if (corrections.has(resource) && !blockedBy.has(resource)) blockedBy.set(resource, f.summary);
    }
  }
  const marked = items.map((item): DriftItem => {
    const reason = blockedBy.get(`${item.source}\u0000${item.address}`);
    if (!reason || (item.kind !== "missing" && item.kind !== "extra")) return item;
    return {
      ...item,
      kind: "blocked",
      message: `${
        item.kind === "missing"
          ? `${item.instanceId} is not in ${item.securityGroupId}`
          : `${item.instanceId} is in ${item.securityGroupId}, which its authoritative set does not list`
      }, and the next apply cannot correct it: ${reason}`,
    };
  });
  const kept = marked.filter((item) => !ignore.some((i) => matches(i, item)));
  return { items: kept, ignored: marked.length - kept.length, resources: resources.length };
}

function matches(entry: IgnoreEntry, item: DriftItem): boolean {
  return (
    entry.instanceId === item.instanceId &&
    (entry.securityGroupId === undefined || entry.securityGroupId === item.securityGroupId)
  );
}
