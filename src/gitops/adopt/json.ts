import { REPORT_FORMAT_VERSION } from "../report";
import { leftOutCount, type Adoption } from "./adoption";

/**
 * `--format json`: the memberships found, versioned like the other commands'
 * JSON (fields are only added within 1.x). One entry per membership adopted,
 * with the resource that adopts it and that resource's import ID, the
 * instance as ECS described it and the caution, if any; then what was left
 * out and why.
 */
export function writeAdoptionJson(adoption: Adoption): string {
  const instances = new Map(adoption.instances.map((i) => [i.instanceId, i]));
  const memberships = adoption.resources.flatMap((r) =>
    r.securityGroupIds.map((g) => {
      const instance = instances.get(r.instanceId)!;
      return {
        instance_id: r.instanceId,
        security_group_id: g,
        security_group_name: adoption.groupNames.get(g) ?? g,
        address: `${r.type}.${r.name}`,
        import_id: r.importId,
        instance_status: instance.status,
        lock_reasons: [...instance.lockReasons],
        vpc_id: instance.vpcId,
        cautions: r.cautions.map((c) => ({ code: c.code, message: c.message })),
      };
    }),
  );
  const { selection } = adoption;
  const doc = {
    format_version: REPORT_FORMAT_VERSION,
    region: adoption.regionId,
    kind: adoption.kind,
    selection: {
      instance_ids: [...new Set(selection.instanceIds)].sort(),
      vpc_id: selection.vpcId ?? null,
      tags: selection.tags.map((t) => ({ key: t.key, value: t.value ?? null })),
      security_group_ids: [...new Set(selection.securityGroupIds)].sort(),
    },
    memberships,
    left_out: adoption.leftOut.flatMap((l) =>
      (l.securityGroupIds.length > 0 ? l.securityGroupIds : [null]).map((g) => ({
        instance_id: l.instanceId,
        security_group_id: g,
        reason: l.reason,
      })),
    ),
    not_found: {
      instance_ids: [...adoption.instancesNotFound],
      security_group_ids: [...adoption.groupsNotFound],
    },
    summary: {
      instances: adoption.instances.length,
      memberships: memberships.length,
      resources: adoption.resources.length,
      left_out: leftOutCount(adoption),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
