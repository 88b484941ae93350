/** Pure mapping of ECS response JSON to the client's shapes. Tolerant of absent fields. */
import type { EcsInstance, EcsNetworkInterface, EcsSecurityGroup } from "./types";

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** "" and absent both mean "no VPC" (classic network). */
function vpc(v: unknown): string | null {
  const s = str(v);
  return s ? s : null;
}

/** `{ Instances: { Instance: [...] } }` -> the instance items. */
export function instanceItems(body: Json): Json[] {
  return arr(obj(body.Instances).Instance).map(obj);
}

/** `{ SecurityGroups: { SecurityGroup: [...] } }` -> the group items. */
export function securityGroupItems(body: Json): Json[] {
  return arr(obj(body.SecurityGroups).SecurityGroup).map(obj);
}

/** `{ NetworkInterfaceSets: { NetworkInterfaceSet: [...] } }` -> the ENI items. */
export function networkInterfaceItems(body: Json): Json[] {
  return arr(obj(body.NetworkInterfaceSets).NetworkInterfaceSet).map(obj);
}

/** The page token to ask for next, or undefined on the last page. */
export function nextToken(body: Json): string | undefined {
  const token = str(body.NextToken);
  return token ? token : undefined;
}

export function toEcsInstance(item: Json, defaultRegionId: string): EcsInstance | undefined {
  const instanceId = str(item.InstanceId);
  if (!instanceId) return undefined;
  const locks = arr(obj(item.OperationLocks).LockReason)
    .map((l) => str(obj(l).LockReason))
    .filter((l): l is string => !!l);
  const groups = arr(obj(item.SecurityGroupIds).SecurityGroupId).filter(
    (g): g is string => typeof g === "string",
  );
  return {
    instanceId,
    regionId: str(item.RegionId) || defaultRegionId,
    status: str(item.Status) ?? "",
    vpcId: vpc(obj(item.VpcAttributes).VpcId) ?? vpc(item.VpcId),
    securityGroupIds: groups,
    lockReasons: locks,
  };
}

export function toEcsSecurityGroup(item: Json): EcsSecurityGroup | undefined {
  const securityGroupId = str(item.SecurityGroupId);
  if (!securityGroupId) return undefined;
  return {
    securityGroupId,
    vpcId: vpc(item.VpcId),
    type: item.SecurityGroupType === "enterprise" ? "enterprise" : "normal",
    name: str(item.SecurityGroupName) ?? "",
  };
}

export function toEcsNetworkInterface(item: Json): EcsNetworkInterface | undefined {
  const networkInterfaceId = str(item.NetworkInterfaceId);
  if (!networkInterfaceId) return undefined;
  return {
    networkInterfaceId,
    type: str(item.Type) ?? "",
    status: str(item.Status) ?? "",
    instanceId: str(item.InstanceId) || null,
    vpcId: vpc(item.VpcId),
    securityGroupIds: arr(obj(item.SecurityGroupIds).SecurityGroupId).filter(
      (g): g is string => typeof g === "string",
    ),
  };
}
