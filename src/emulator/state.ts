/**
 * The emulator's world as plain data, and the validator that turns an
 * untrusted seed (a file, a `PUT /_emulator/state` body, an object passed to
 * `startEmulator`) into that data, or explains precisely what is wrong with it.
 */
import { describeMalformedId, isWellFormedId } from "./ids";

export const INSTANCE_STATUSES = ["Pending", "Running", "Starting", "Stopping", "Stopped"] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const LOCK_REASONS = [
  "financial",
  "security",
  "recycling",
  "dedicatedhostfinancial",
  "refunded",
] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

export const SECURITY_GROUP_TYPES = ["normal", "enterprise"] as const;

export const NETWORK_INTERFACE_TYPES = ["Primary", "Secondary"] as const;
export type NetworkInterfaceType = (typeof NETWORK_INTERFACE_TYPES)[number];

export const NETWORK_INTERFACE_STATUSES = [
  "Available",
  "InUse",
  "Attaching",
  "Detaching",
  "Creating",
  "Deleting",
] as const;
export type NetworkInterfaceStatus = (typeof NETWORK_INTERFACE_STATUSES)[number];
export type SecurityGroupType = (typeof SECURITY_GROUP_TYPES)[number];

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, every request signed with this key must carry this STS token. */
  securityToken?: string;
  /**
   * A RAM policy in miniature: the actions this key may call (`DescribeInstances`,
   * `Describe*`, `ecs:JoinSecurityGroup`, `*`). Absent: every action. Any other
   * action answers HTTP 403 `Forbidden.RAM`.
   */
  allowedActions?: string[];
}

export interface SecurityGroupRecord {
  securityGroupId: string;
  /** null for a classic-network group. */
  vpcId: string | null;
  type: SecurityGroupType;
  /** @default the group ID */
  name: string;
  description: string;
  /** ISO 8601 UTC. */
  creationTime: string;
}

/** A user tag of an instance (`Tags.Tag[]` with `TagKey`/`TagValue` in DescribeInstances). */
export interface InstanceTag {
  key: string;
  /** @default "" */
  value: string;
}

/** ECS allows at most this many tags on one resource, and this many `Tag.N` filters in one call. */
export const MAX_TAGS = 20;
/** Longest tag key and value ECS accepts. */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 128;

export interface InstanceRecord {
  instanceId: string;
  /** null for a classic-network instance. */
  vpcId: string | null;
  status: InstanceStatus;
  /** In join order; the first one is the group the instance was created with. */
  securityGroupIds: string[];
  lockReasons: LockReason[];
  /** @default the instance ID */
  instanceName: string;
  /** @default `<regionId>-a` */
  zoneId: string;
  /** @default "" */
  vSwitchId: string;
  /** @default none */
  privateIpAddresses: string[];
  /** @default none; keys are unique per instance */
  tags: InstanceTag[];
}

/**
 * An elastic network interface. A primary ENI's `securityGroupIds` are its
 * instance's: the two lists are always equal, whichever API changes them.
 */
export interface NetworkInterfaceRecord {
  networkInterfaceId: string;
  /** The instance it is attached to; null when it is not attached. */
  instanceId: string | null;
  type: NetworkInterfaceType;
  /** @default InUse when attached, Available otherwise */
  status: NetworkInterfaceStatus;
  /** @default the instance's VPC when attached */
  vpcId: string | null;
  /** In join order. @default the instance's groups for a primary ENI */
  securityGroupIds: string[];
  /** @default the instance's vSwitch when attached, otherwise "" */
  vSwitchId: string;
  /** @default the ENI ID */
  networkInterfaceName: string;
}

/** The full, validated world. Also the JSON of `GET /_emulator/state`. */
export interface EmulatorState {
  regionId: string;
  accessKeys: AccessKey[];
  maxSecurityGroupsPerInstance: number;
  securityGroups: SecurityGroupRecord[];
  instances: InstanceRecord[];
  networkInterfaces: NetworkInterfaceRecord[];
}

/** What a seed may contain: the state with every field optional except the IDs. */
export interface EmulatorSeed {
  regionId?: string;
  accessKeys?: AccessKey[];
  maxSecurityGroupsPerInstance?: number;
  securityGroups?: (Partial<SecurityGroupRecord> & { securityGroupId: string })[];
  instances?: (Partial<Omit<InstanceRecord, "tags">> & {
    instanceId: string;
    tags?: (Partial<InstanceTag> & { key: string })[];
  })[];
  networkInterfaces?: (Partial<NetworkInterfaceRecord> & { networkInterfaceId: string })[];
}

export const DEFAULT_REGION_ID = "cn-hangzhou";
export const DEFAULT_ACCESS_KEY: AccessKey = { accessKeyId: "test", accessKeySecret: "test" };
export const DEFAULT_MAX_SECURITY_GROUPS_PER_INSTANCE = 5;
/** Fixed so that snapshots of a seed are stable. */
const DEFAULT_CREATION_TIME = "2024-01-01T00:00:00Z";

/** A seed or state that does not validate. `problems` lists every finding, one per line of the message. */
export class EmulatorStateError extends Error {
  constructor(
    readonly problems: readonly string[],
    source = "emulator state",
  ) {
    super(`${source} is invalid:\n  - ${problems.join("\n  - ")}`);
    this.name = "EmulatorStateError";
  }
}

/** The world with no seed: region cn-hangzhou, key test/test, nothing else. */
export function defaultState(): EmulatorState {
  return parseState({});
}

/** A deep copy, safe to hand out or to mutate. */
export function cloneState(state: EmulatorState): EmulatorState {
  return structuredClone(state);
}

type Json = unknown;

/** Collects problems with their JSON path instead of stopping at the first one. */
class Checker {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  object(value: Json, path: string): Record<string, Json> | undefined {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, Json>;
    }
    this.fail(path, `expected an object, got ${describe(value)}`);
    return undefined;
  }

  onlyKeys(obj: Record<string, Json>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(`${path}.${key}`.replace(/^\./, ""), `unknown field (allowed: ${allowed.join(", ")})`);
      }
    }
  }

  string(value: Json, path: string, fallback?: string): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === "string") return value;
    this.fail(path, value === undefined ? "is required" : `expected a string, got ${describe(value)}`);
    return fallback ?? "";
  }

  nullableString(value: Json, path: string, fallback: string | null): string | null {
    if (value === undefined) return fallback;
    if (value === null) return null;
    return this.string(value, path);
  }

  id(value: Json, path: string): string {
    const id = this.string(value, path);
    if (typeof value === "string" && !isWellFormedId(id)) {
      this.fail(path, `${JSON.stringify(id)} is not a valid ID: ${describeMalformedId(id)}`);
    }
    return id;
  }

  oneOf<T extends string>(value: Json, path: string, allowed: readonly T[], fallback?: T): T {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(
      path,
      `${value === undefined ? "is required; must be" : `${JSON.stringify(value)} is not`} one of ${allowed.join(", ")}`,
    );
    return fallback ?? allowed[0];
  }

  array(value: Json, path: string): Json[] {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.fail(path, `expected an array, got ${describe(value)}`);
    return [];
  }

  stringArray(value: Json, path: string): string[] {
    return this.array(value, path).map((item, i) => this.string(item, `${path}[${i}]`));
  }
}

function describe(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const TOP_FIELDS = [
  "regionId",
  "accessKeys",
  "maxSecurityGroupsPerInstance",
  "securityGroups",
  "instances",
  "networkInterfaces",
];
const KEY_FIELDS = ["accessKeyId", "accessKeySecret", "securityToken", "allowedActions"];
/** `Describe*`, `ecs:JoinSecurityGroup`, `*`: an action name with `*` wildcards, optionally `ecs:`-prefixed. */
const ACTION_PATTERN = /^(ecs:)?[A-Za-z*]+$/;
const GROUP_FIELDS = ["securityGroupId", "vpcId", "type", "name", "description", "creationTime"];
const INSTANCE_FIELDS = [
  "instanceId",
  "vpcId",
  "status",
  "securityGroupIds",
  "lockReasons",
  "instanceName",
  "zoneId",
  "vSwitchId",
  "privateIpAddresses",
  "tags",
];
const TAG_FIELDS = ["key", "value"];
const ENI_FIELDS = [
  "networkInterfaceId",
  "instanceId",
  "type",
  "status",
  "vpcId",
  "securityGroupIds",
  "vSwitchId",
  "networkInterfaceName",
];

/**
 * Validates a seed and fills in defaults. Throws {@link EmulatorStateError}
 * listing every problem, each prefixed by its path, e.g.
 * `instances[2].status: "Runing" is not one of Pending, Running, ...`.
 *
 * @param source names the input in the error message (a file path, "PUT /_emulator/state").
 */
export function parseState(input: unknown, source?: string): EmulatorState {
  const c = new Checker();
  const top = c.object(input, "(top level)") ?? {};
  c.onlyKeys(top, "", TOP_FIELDS);

  const regionId = c.string(top.regionId, "regionId", DEFAULT_REGION_ID);
  if (!/^[a-z0-9-]+$/.test(regionId))
    c.fail("regionId", `${JSON.stringify(regionId)} is not a region ID like cn-hangzhou`);

  const accessKeys =
    top.accessKeys === undefined
      ? [{ ...DEFAULT_ACCESS_KEY }]
      : c.array(top.accessKeys, "accessKeys").map((raw, i) => parseAccessKey(c, raw, `accessKeys[${i}]`));
  if (top.accessKeys !== undefined && accessKeys.length === 0) {
    c.fail("accessKeys", "must list at least one key (omit the field for the default test/test)");
  }
  reportDuplicates(
    c,
    accessKeys.map((k) => k.accessKeyId),
    "accessKeys",
    "accessKeyId",
  );

  let maxSecurityGroupsPerInstance = DEFAULT_MAX_SECURITY_GROUPS_PER_INSTANCE;
  if (top.maxSecurityGroupsPerInstance !== undefined) {
    const n = top.maxSecurityGroupsPerInstance;
    if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 1000) maxSecurityGroupsPerInstance = n;
    else c.fail("maxSecurityGroupsPerInstance", `expected an integer from 1 to 1000, got ${describe(n)}`);
  }

  const securityGroups = c
    .array(top.securityGroups, "securityGroups")
    .map((raw, i) => parseSecurityGroup(c, raw, `securityGroups[${i}]`));
  reportDuplicates(
    c,
    securityGroups.map((g) => g.securityGroupId),
    "securityGroups",
    "securityGroupId",
  );

  const instances = c
    .array(top.instances, "instances")
    .map((raw, i) => parseInstance(c, raw, `instances[${i}]`, regionId));
  reportDuplicates(
    c,
    instances.map((inst) => inst.instanceId),
    "instances",
    "instanceId",
  );

  const rawInterfaces = c.array(top.networkInterfaces, "networkInterfaces");
  const networkInterfaces = rawInterfaces.map((raw, i) =>
    parseNetworkInterface(c, raw, `networkInterfaces[${i}]`, instances),
  );
  reportDuplicates(
    c,
    networkInterfaces.map((eni) => eni.networkInterfaceId),
    "networkInterfaces",
    "networkInterfaceId",
  );
  sharePrimaryGroups(c, networkInterfaces, rawInterfaces, instances, c.array(top.instances, "instances"));

  const groupsById = new Map(securityGroups.map((g) => [g.securityGroupId, g]));
  instances.forEach((inst, i) => {
    const path = `instances[${i}]`;
    checkMemberships(c, { ...inst, id: inst.instanceId }, path, groupsById, maxSecurityGroupsPerInstance);
  });
  networkInterfaces.forEach((eni, i) => {
    const path = `networkInterfaces[${i}]`;
    // A primary ENI's list is its instance's, already checked above.
    if (eni.type === "Primary" && instances.some((inst) => inst.instanceId === eni.instanceId)) return;
    checkMemberships(
      c,
      { id: eni.networkInterfaceId, vpcId: eni.vpcId, securityGroupIds: eni.securityGroupIds },
      path,
      groupsById,
      maxSecurityGroupsPerInstance,
    );
  });

  if (c.problems.length > 0) throw new EmulatorStateError(c.problems, source);
  return { regionId, accessKeys, maxSecurityGroupsPerInstance, securityGroups, instances, networkInterfaces };
}

function parseNetworkInterface(
  c: Checker,
  raw: Json,
  path: string,
  instances: readonly InstanceRecord[],
): NetworkInterfaceRecord {
  const obj = c.object(raw, path) ?? {};
  c.onlyKeys(obj, path, ENI_FIELDS);
  const networkInterfaceId = c.id(obj.networkInterfaceId, `${path}.networkInterfaceId`);
  const instanceId =
    obj.instanceId === undefined || obj.instanceId === null
      ? null
      : c.id(obj.instanceId, `${path}.instanceId`);
  const inst = instanceId === null ? undefined : instances.find((i) => i.instanceId === instanceId);
  if (instanceId !== null && !inst) c.fail(`${path}.instanceId`, `${instanceId} is not in instances`);
  const type = c.oneOf(obj.type, `${path}.type`, NETWORK_INTERFACE_TYPES, "Secondary");
  const status = c.oneOf(
    obj.status,
    `${path}.status`,
    NETWORK_INTERFACE_STATUSES,
    instanceId === null ? "Available" : "InUse",
  );
  const vpcId = c.nullableString(obj.vpcId, `${path}.vpcId`, inst?.vpcId ?? null);
  if (type === "Primary" && instanceId === null) {
    c.fail(`${path}.instanceId`, "a Primary network interface is always attached to an instance");
  }
  if (status === "Available" && instanceId !== null) {
    c.fail(
      `${path}.status`,
      `"Available" means not attached, but the interface is attached to ${instanceId}`,
    );
  }
  if (status === "InUse" && instanceId === null) {
    c.fail(`${path}.status`, '"InUse" means attached, but instanceId is null');
  }
  if (inst && vpcId !== inst.vpcId) {
    c.fail(
      `${path}.vpcId`,
      `${vpcId ?? "the classic network"} differs from the VPC of ${inst.instanceId} (${inst.vpcId ?? "the classic network"})`,
    );
  }
  return {
    networkInterfaceId,
    instanceId,
    type,
    status,
    vpcId,
    securityGroupIds: c.stringArray(obj.securityGroupIds, `${path}.securityGroupIds`),
    vSwitchId: c.string(obj.vSwitchId, `${path}.vSwitchId`, inst?.vSwitchId ?? ""),
    networkInterfaceName: c.string(
      obj.networkInterfaceName,
      `${path}.networkInterfaceName`,
      networkInterfaceId,
    ),
  };
}

/**
 * An instance's groups are its primary ENI's: one list, written in either
 * place. A list given on one side only fills the other; given on both, they
 * must be equal. At most one primary ENI per instance.
 */
function sharePrimaryGroups(
  c: Checker,
  interfaces: NetworkInterfaceRecord[],
  rawInterfaces: readonly Json[],
  instances: InstanceRecord[],
  rawInstances: readonly Json[],
): void {
  const primaryOf = new Map<string, number>();
  interfaces.forEach((eni, i) => {
    if (eni.type !== "Primary" || eni.instanceId === null) return;
    const path = `networkInterfaces[${i}]`;
    const earlier = primaryOf.get(eni.instanceId);
    if (earlier !== undefined) {
      c.fail(
        `${path}.type`,
        `${eni.instanceId} already has a primary network interface (networkInterfaces[${earlier}])`,
      );
      return;
    }
    primaryOf.set(eni.instanceId, i);
    const at = instances.findIndex((inst) => inst.instanceId === eni.instanceId);
    if (at < 0) return;
    const inst = instances[at];
    const eniGiven = hasField(rawInterfaces[i], "securityGroupIds");
    const instanceGiven = hasField(rawInstances[at], "securityGroupIds");
    if (!eniGiven) eni.securityGroupIds = [...inst.securityGroupIds];
    else if (!instanceGiven) inst.securityGroupIds = [...eni.securityGroupIds];
    else if (!sameList(eni.securityGroupIds, inst.securityGroupIds)) {
      c.fail(
        `${path}.securityGroupIds`,
        `must equal instances[${at}].securityGroupIds: an instance's groups are its primary network interface's`,
      );
    }
  });
}

function hasField(raw: Json, field: string): boolean {
  return typeof raw === "object" && raw !== null && (raw as Record<string, Json>)[field] !== undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function parseAccessKey(c: Checker, raw: Json, path: string): AccessKey {
  const obj = c.object(raw, path) ?? {};
  c.onlyKeys(obj, path, KEY_FIELDS);
  const key: AccessKey = {
    accessKeyId: c.string(obj.accessKeyId, `${path}.accessKeyId`),
    accessKeySecret: c.string(obj.accessKeySecret, `${path}.accessKeySecret`),
  };
  if (obj.accessKeyId !== undefined && key.accessKeyId === "")
    c.fail(`${path}.accessKeyId`, "must not be empty");
  if (obj.accessKeySecret !== undefined && key.accessKeySecret === "") {
    c.fail(`${path}.accessKeySecret`, "must not be empty");
  }
  if (obj.securityToken !== undefined)
    key.securityToken = c.string(obj.securityToken, `${path}.securityToken`);
  if (obj.allowedActions !== undefined) {
    key.allowedActions = c.stringArray(obj.allowedActions, `${path}.allowedActions`);
    key.allowedActions.forEach((a, i) => {
      if (!ACTION_PATTERN.test(a))
        c.fail(
          `${path}.allowedActions[${i}]`,
          `${JSON.stringify(a)} is not an action pattern like "DescribeInstances", "Describe*" or "ecs:*"`,
        );
    });
  }
  return key;
}

function parseSecurityGroup(c: Checker, raw: Json, path: string): SecurityGroupRecord {
  const obj = c.object(raw, path) ?? {};
  c.onlyKeys(obj, path, GROUP_FIELDS);
  const securityGroupId = c.id(obj.securityGroupId, `${path}.securityGroupId`);
  return {
    securityGroupId,
    vpcId: c.nullableString(obj.vpcId, `${path}.vpcId`, null),
    type: c.oneOf(obj.type, `${path}.type`, SECURITY_GROUP_TYPES, "normal"),
    name: c.string(obj.name, `${path}.name`, securityGroupId),
    description: c.string(obj.description, `${path}.description`, ""),
    creationTime: c.string(obj.creationTime, `${path}.creationTime`, DEFAULT_CREATION_TIME),
  };
}

function parseInstance(c: Checker, raw: Json, path: string, regionId: string): InstanceRecord {
  const obj = c.object(raw, path) ?? {};
  c.onlyKeys(obj, path, INSTANCE_FIELDS);
  const instanceId = c.id(obj.instanceId, `${path}.instanceId`);
  const lockReasons = c
    .array(obj.lockReasons, `${path}.lockReasons`)
    .map((reason, i) => c.oneOf(reason, `${path}.lockReasons[${i}]`, LOCK_REASONS));
  return {
    instanceId,
    vpcId: c.nullableString(obj.vpcId, `${path}.vpcId`, null),
    status: c.oneOf(obj.status, `${path}.status`, INSTANCE_STATUSES, "Running"),
    securityGroupIds: c.stringArray(obj.securityGroupIds, `${path}.securityGroupIds`),
    lockReasons: [...new Set(lockReasons)],
    instanceName: c.string(obj.instanceName, `${path}.instanceName`, instanceId),
    zoneId: c.string(obj.zoneId, `${path}.zoneId`, `${regionId}-a`),
    vSwitchId: c.string(obj.vSwitchId, `${path}.vSwitchId`, ""),
    privateIpAddresses: c.stringArray(obj.privateIpAddresses, `${path}.privateIpAddresses`),
    tags: parseTags(c, obj.tags, `${path}.tags`),
  };
}

/** Tags as ECS allows them: a non-empty key of up to 128 characters, unique per resource; at most 20. */
function parseTags(c: Checker, raw: Json, path: string): InstanceTag[] {
  const tags = c.array(raw, path).map((item, i): InstanceTag => {
    const at = `${path}[${i}]`;
    const obj = c.object(item, at) ?? {};
    c.onlyKeys(obj, at, TAG_FIELDS);
    const key = c.string(obj.key, `${at}.key`);
    const value = c.string(obj.value, `${at}.value`, "");
    if (obj.key !== undefined && key === "") c.fail(`${at}.key`, "must not be empty");
    if (key.length > MAX_TAG_KEY_LENGTH)
      c.fail(`${at}.key`, `is longer than ${MAX_TAG_KEY_LENGTH} characters`);
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      c.fail(`${at}.value`, `is longer than ${MAX_TAG_VALUE_LENGTH} characters`);
    }
    return { key, value };
  });
  if (tags.length > MAX_TAGS) c.fail(path, `has ${tags.length} tags; ECS allows at most ${MAX_TAGS}`);
  reportDuplicates(
    c,
    tags.map((t) => t.key),
    path,
    "key",
  );
  return tags;
}

/** Membership invariants the real service guarantees: existing groups, no repeats, same VPC, one group type, the limit. */
function checkMemberships(
  c: Checker,
  member: {
    readonly id: string;
    readonly vpcId: string | null;
    readonly securityGroupIds: readonly string[];
  },
  path: string,
  groupsById: Map<string, SecurityGroupRecord>,
  max: number,
): void {
  const seen = new Set<string>();
  const types = new Set<SecurityGroupType>();
  member.securityGroupIds.forEach((groupId, j) => {
    const at = `${path}.securityGroupIds[${j}]`;
    if (seen.has(groupId)) c.fail(at, `${groupId} is listed twice`);
    seen.add(groupId);
    const group = groupsById.get(groupId);
    if (!group) {
      c.fail(at, `${groupId} is not in securityGroups`);
      return;
    }
    if (group.vpcId !== member.vpcId) {
      c.fail(
        at,
        `${groupId} is in ${group.vpcId ?? "the classic network"}, but ${member.id} is in ${member.vpcId ?? "the classic network"}`,
      );
    }
    types.add(group.type);
  });
  if (types.size > 1)
    c.fail(`${path}.securityGroupIds`, "mixes normal and enterprise groups, which ECS does not allow");
  if (member.securityGroupIds.length > max) {
    c.fail(
      `${path}.securityGroupIds`,
      `has ${member.securityGroupIds.length} groups, more than maxSecurityGroupsPerInstance (${max})`,
    );
  }
}

function reportDuplicates(c: Checker, ids: string[], path: string, field: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) c.fail(`${path}[${i}].${field}`, `${JSON.stringify(id)} is used more than once`);
    seen.add(id);
  });
}
