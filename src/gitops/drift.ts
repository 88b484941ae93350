import {
  heldBy,
  isAttachmentKind,
  judgePlan,
  memberFacts,
  namesNetworkInterface,
  NO_POLICY,
  subjectIdOf,
  type Facts,
  type Policy,
  type ResourceChange,
} from "../membership";
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
  /** The instance; for an ENI resource the ENI, or the instance of a primary ENI (one subject). */
  readonly instanceId: string;
  /** The ENI an ENI resource names. */
  readonly networkInterfaceId?: string;
  readonly securityGroupId?: string;
  /** What is wrong and what the next apply does about it (for `blocked`: why it cannot). */
  readonly message: string;
}

/** A known drift to leave out of the report (`--ignore FILE`); no group = every drift of the instance. */
export interface IgnoreEntry {
  /** An instance or an ENI ID. */
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
 * Compares every membership resource object of the states with live facts,
 * and reports what the next apply would change, assuming the configuration
 * still declares what the state records (drift cannot see the configuration:
 * a resource the configuration declares but the state no longer holds, e.g.
 * after `terraform apply -refresh-only` dropped it, is not seen).
 *
 * What the next apply does is asked of `membership/`: what a refresh records
 * (`heldBy`), then the changes from that to what the state declares, judged
 * like a plan (`judgePlan`). Drift whose correction would be refused is
 * `blocked`, with the refusal as reason (a correction that would leave a
 * protected group of `policy` among them); so is state that no plan can pass
 * (e.g. two resources holding one pair). Pure: `facts` must describe every
 * instance and group the states name.
 */
export function compareDrift(
  resources: readonly StateResource[],
  facts: Facts,
  ignore: readonly IgnoreEntry[] = [],
  policy: Policy = NO_POLICY,
): DriftReport {
  const items: DriftItem[] = [];
  const changes: ResourceChange[] = [];
  const key = (r: StateResource) => `${r.source}\u0000${r.address}${r.deposed ? `\u0000${r.deposed}` : ""}`;
  const corrected = new Set<string>();

  for (const r of resources) {
    // An ENI resource is judged on its ENI (a primary ENI: on its instance, the same groups).
    const instance = memberFacts(facts, subjectIdOf(facts, r.instanceId));
    const label = r.deposed ? `${r.address} (deposed ${r.deposed})` : r.address;
    const eni = namesNetworkInterface(r.kind)
      ? { instanceId: subjectIdOf(facts, r.instanceId), networkInterfaceId: r.instanceId }
      : { instanceId: r.instanceId };
    const base = { source: r.source, address: label, ...eni };
    const attachment = isAttachmentKind(r.kind);
    const own = attachment ? r.securityGroupIds[0] : undefined;
    const mayHold = [...r.securityGroupIds, ...(r.pending ?? [])];
    // What the next apply aims for: what the state declares; nothing for a deposed object (it is deleted).
    const declared = r.deposed ? null : { instanceId: r.instanceId, securityGroupIds: r.securityGroupIds };
    const change = { resource: key(r), label, kind: r.kind };
    if (!instance) {
      items.push({
        ...base,
        kind: "instance_gone",
        ...(attachment ? { securityGroupId: own } : {}),
        message: `${r.instanceId} no longer exists: remove ${r.address} from the code (a refresh drops it from the state, and creating it again is refused with InvalidInstanceId.NotFound)`,
      });
      continue;
    }
    const held = heldBy(r.kind, mayHold, own, instance.securityGroupIds);
    const now = held ? { instanceId: r.instanceId, securityGroupIds: held } : null;
    const gone = (declared?.securityGroupIds ?? []).filter((g) => !facts.groups.has(g));
    for (const g of gone) {
      items.push({
        ...base,
        kind: "group_gone",
        securityGroupId: g,
        message: `${g} no longer exists: remove it from ${r.address} (joining it again is refused with InvalidSecurityGroupId.NotFound)`,
      });
    }
    const missing = (declared?.securityGroupIds ?? []).filter(
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
    const unlisted =
      attachment || !declared
        ? []
        : instance.securityGroupIds.filter((g) => !declared.securityGroupIds.includes(g));
    for (const g of unlisted) {
      items.push({
        ...base,
        kind: "extra",
        securityGroupId: g,
        message: `${r.instanceId} is in ${g}, which its authoritative set does not list: the next apply leaves it`,
      });
    }
    // Held but not declared: pending groups of a failed apply, or what a deposed object still holds.
    const leftOver = attachment
      ? (held ?? []).filter((g) => !(declared?.securityGroupIds ?? []).includes(g))
      : [];
    for (const g of leftOver) {
      items.push({
        ...base,
        kind: "extra",
        securityGroupId: g,
        message: r.deposed
          ? `${r.instanceId} is still in ${g}, which the old object of a create_before_destroy replacement holds (its delete failed): the next apply leaves it`
          : `${r.instanceId} is in ${g}, which ${r.address} joined in an apply that failed half-way (pending_security_group_ids): the next apply leaves it, or keeps it where the configuration names it`,
      });
    }
    const drifted =
      gone.length === 0 && (missing.length + unlisted.length + leftOver.length > 0 || r.tainted);
    if (drifted) corrected.add(key(r));
    if (gone.length > 0 || !drifted) {
      changes.push({ ...change, before: now ?? declared, after: declared ?? null });
    } else {
      changes.push({
        ...change,
        before: now,
        after: declared,
        ...(r.tainted && now && declared ? { replacement: "either" as const } : {}),
      });
    }
  }

  const judgement = judgePlan(facts, changes, {
    protectedSecurityGroupIds: policy.protectedSecurityGroupIds,
  });
  const blockedBy = new Map<string, string>();
  const stuck = new Map<
    string,
    { finding: string; instanceId: string; networkInterfaceId?: string; securityGroupId?: string }
  >();
  for (const f of judgement.findings) {
    if (f.severity !== "error") continue;
    for (const resource of f.resources) {
      if (corrected.has(resource)) {
        if (!blockedBy.has(resource)) blockedBy.set(resource, f.summary);
      } else if (!stuck.has(resource)) {
        stuck.set(resource, {
          finding: f.summary,
          instanceId: f.instanceId,
          networkInterfaceId: f.networkInterfaceId,
          securityGroupId: f.securityGroupId,
        });
      }
    }
  }
  const marked = items.map((item): DriftItem => {
    const reason = [...blockedBy].find(
      ([k]) => k.startsWith(`${item.source}\u0000`) && labelOf(k) === item.address,
    )?.[1];
    if (!reason || (item.kind !== "missing" && item.kind !== "extra")) return item;
    const who = item.networkInterfaceId ?? item.instanceId;
    return {
      ...item,
      kind: "blocked",
      message: `${
        item.kind === "missing"
          ? `${who} is not in ${item.securityGroupId}`
          : `${who} is in ${item.securityGroupId}, which ${item.address} does not declare`
      }, and the next apply cannot correct it: ${reason}`,
    };
  });
  // State that no plan keeping it can pass, although ECS matches it (e.g. one pair held by two resources).
  for (const [resource, s] of stuck) {
    const r = resources.find((x) => key(x) === resource);
    if (!r) continue;
    marked.push({
      kind: "blocked",
      source: r.source,
      address: labelOf(resource),
      instanceId: s.instanceId,
      ...(s.networkInterfaceId ? { networkInterfaceId: s.networkInterfaceId } : {}),
      ...(s.securityGroupId ? { securityGroupId: s.securityGroupId } : {}),
      message: `every plan that keeps this state is refused: ${s.finding}`,
    });
  }
  const kept = marked.filter((item) => !ignore.some((i) => matches(i, item)));
  return { items: kept, ignored: marked.length - kept.length, resources: resources.length };
}

/** The label a key names (address, with the deposed key). */
function labelOf(key: string): string {
  const [, address, deposed] = key.split("\u0000");
  return deposed ? `${address} (deposed ${deposed})` : address;
}

function matches(entry: IgnoreEntry, item: DriftItem): boolean {
  return (
    (entry.instanceId === item.instanceId || entry.instanceId === item.networkInterfaceId) &&
    (entry.securityGroupId === undefined || entry.securityGroupId === item.securityGroupId)
  );
}
