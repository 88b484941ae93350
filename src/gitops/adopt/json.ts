import { REPORT_FORMAT_VERSION } from "../report";
import { leftOutCount, type Adoption } from "./adoption";

/**
 * `--format json`: the memberships found, versioned like the other commands'
 * JSON (fields are only added within 1.x). One entry per membership adopted,
 * with the resource that adopts it and that resource's import ID, the
 * instance (or ENI) as ECS described it and the caution, if any; then what
 * was left out and why. An ENI's membership has `network_interface_id` (null
 * for an instance's), its `network_interface_status`, and as `instance_id`
 * the instance it is attached to (null when detached).
 */
export function writeAdoptionJson(adoption: Adoption): string {
  const instances = new Map(adoption.instances.map((i) => [i.instanceId, i]));
  const enis = new Map(adoption.networkInterfaces.map((e) => [e.networkInterfaceId, e]));
  const memberships = adoption.resources.flatMap((r) =>
    r.securityGroupIds.map((g) => {
      const instance = instances.get(r.memberId);
      const eni = enis.get(r.memberId);
      const member =
        r.member === "instance"
          ? {
              instance_id: r.memberId,
              network_interface_id: null,
              instance_status: instance!.status,
              network_interface_status: null,
              lock_reasons: [...instance!.lockReasons],
              vpc_id: instance!.vpcId,
            }
          : {
              instance_id: eni!.instanceId,
              network_interface_id: r.memberId,
              instance_status: null,
              network_interface_status: eni!.status,
              lock_reasons: [],
              vpc_id: eni!.vpcId,
            };
      return {
        instance_id: member.instance_id,
        network_interface_id: member.network_interface_id,
        security_group_id: g,
        security_group_name: adoption.groupNames.get(g) ?? g,
        address: `${r.type}.${r.name}`,
        import_id: r.importId,
        instance_status: member.instance_status,
        network_interface_status: member.network_interface_status,
        lock_reasons: member.lock_reasons,
        vpc_id: member.vpc_id,
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
      network_interface_ids: [...new Set(selection.networkInterfaceIds)].sort(),
      vpc_id: selection.vpcId ?? null,
      tags: selection.tags.map((t) => ({ key: t.key, value: t.value ?? null })),
      security_group_ids: [...new Set(selection.securityGroupIds)].sort(),
    },
    memberships,
    left_out: adoption.leftOut.flatMap((l) =>
      (l.securityGroupIds.length > 0 ? l.securityGroupIds : [null]).map((g) => ({
        instance_id: l.member === "instance" ? l.memberId : null,
        network_interface_id: l.member === "networkInterface" ? l.memberId : null,
        security_group_id: g,
        reason: l.reason,
      })),
    ),
    not_found: {
      instance_ids: [...adoption.instancesNotFound],
      network_interface_ids: [...adoption.networkInterfacesNotFound],
      security_group_ids: [...adoption.groupsNotFound],
    },
    summary: {
      instances: adoption.instances.length,
      network_interfaces: adoption.networkInterfaces.length,
      memberships: memberships.length,
      resources: adoption.resources.length,
      left_out: leftOutCount(adoption),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
