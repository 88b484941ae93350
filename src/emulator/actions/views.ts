/** Resources rendered in the response shapes of the ECS API (version 2014-05-26). */
import type { InstanceRecord, NetworkInterfaceRecord, SecurityGroupRecord } from "../state";

/** Common fields of an instance in `DescribeInstances` and `DescribeInstanceAttribute`. */
function instanceFields(inst: InstanceRecord, regionId: string) {
  return {
    InstanceId: inst.instanceId,
    InstanceName: inst.instanceName,
    RegionId: regionId,
    ZoneId: inst.zoneId,
    Status: inst.status,
    InstanceNetworkType: inst.vpcId === null ? "classic" : "vpc",
    SecurityGroupIds: { SecurityGroupId: [...inst.securityGroupIds] },
    VpcAttributes: {
      VpcId: inst.vpcId ?? "",
      VSwitchId: inst.vSwitchId,
      NatIpAddress: "",
      PrivateIpAddress: { IpAddress: [...inst.privateIpAddresses] },
    },
  };
}

/**
 * One item of `Instances.Instance[]`; lock items carry `LockReason` and
 * `LockMsg`; tags are `Tags.Tag[]` with `TagKey` / `TagValue`.
 */
export function describeInstancesItem(inst: InstanceRecord, regionId: string): Record<string, unknown> {
  return {
    ...instanceFields(inst, regionId),
    OperationLocks: { LockReason: inst.lockReasons.map((reason) => ({ LockReason: reason, LockMsg: "" })) },
    Tags: { Tag: inst.tags.map((tag) => ({ TagKey: tag.key, TagValue: tag.value })) },
  };
}

/** The flat body of `DescribeInstanceAttribute`; lock items carry only `LockReason`. */
export function instanceAttributeBody(inst: InstanceRecord, regionId: string): Record<string, unknown> {
  return {
    ...instanceFields(inst, regionId),
    OperationLocks: { LockReason: inst.lockReasons.map((reason) => ({ LockReason: reason })) },
  };
}

/** One item of `SecurityGroups.SecurityGroup[]`. */
export function securityGroupItem(group: SecurityGroupRecord): Record<string, unknown> {
  return {
    SecurityGroupId: group.securityGroupId,
    SecurityGroupName: group.name,
    SecurityGroupType: group.type,
    VpcId: group.vpcId ?? "",
    Description: group.description,
    CreationTime: group.creationTime,
  };
}

/** One item of `NetworkInterfaceSets.NetworkInterfaceSet[]`. */
export function networkInterfaceItem(eni: NetworkInterfaceRecord): Record<string, unknown> {
  return {
    NetworkInterfaceId: eni.networkInterfaceId,
    NetworkInterfaceName: eni.networkInterfaceName,
    Type: eni.type,
    Status: eni.status,
    InstanceId: eni.instanceId ?? "",
    VpcId: eni.vpcId ?? "",
    VSwitchId: eni.vSwitchId,
    SecurityGroupIds: { SecurityGroupId: [...eni.securityGroupIds] },
  };
}
