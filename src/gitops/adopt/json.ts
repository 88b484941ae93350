import { REPORT_FORMAT_VERSION } from "../report";
import { leftOutCount, type Adoption } from "./adoption";

/** What a membership says about its instance or ENI. */
interface MemberFields {
  readonly instance_id: string | null;
  readonly network_interface_id: string | null;
  readonly instance_status: string | null;
  readonly network_interface_status: string | null;
  readonly lock_reasons: readonly string[];
  readonly vpc_id: string | null;
}

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
  const members = new Map<string, MemberFields>([
    ...adoption.instances.map((i): [string, MemberFields] => [
      `instance:${i.instanceId}`,
      {
        instance_id: i.instanceId,
        network_interface_id: null,
        instance_status: i.status,
        network_interface_status: null,
        lock_reasons: [...i.lockReasons],
        vpc_id: i.vpcId,
      },
    ]),
    ...adoption.networkInterfaces.map((e): [string, MemberFields] => [
      `networkInterface:${e.networkInterfaceId}`,
      {
        instance_id: e.instanceId,
        network_interface_id: e.networkInterfaceId,
        instance_status: null,
        network_interface_status: e.status,
        lock_reasons: [],
        vpc_id: e.vpcId,
      },
    ]),
  ]);
  const memberships = adoption.resources.flatMap((r) =>
    r.securityGroupIds.map((g) => {
      const m = members.get(`${r.member}:${r.memberId}`)!;
      return {
        instance_id: m.instance_id,
        network_interface_id: m.network_interface_id,
        security_group_id: g,
        security_group_name: adoption.groupNames.get(g) ?? g,
        address: `${r.type}.${r.name}`,
        import_id: r.importId,
        instance_status: m.instance_status,
        network_interface_status: m.network_interface_status,
        lock_reasons: m.lock_reasons,
        vpc_id: m.vpc_id,
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
