import type { EmulatorSeed } from "../../../src/emulator/server";
import { Cloud } from "../../support/emulator";
import { createProviderDefinition } from "../../../src/provider/resources/provider";
import type { Diagnostic, ObjectValue, ProviderDefinition } from "../../../src/provider/plugin/types";

// The ENI resources driven directly (no gRPC), against the emulator over real HTTP: the same verbs,
// import, drift correction and failure behaviour as their instance twins, one implementation.

const KEY = { accessKeyId: "unit", accessKeySecret: "unit-secret" };
const ENI_ATTACHMENT = "alisg_network_interface_attachment";
const ENI_SET = "alisg_network_interface_security_groups";

function world(bulk = 0): EmulatorSeed {
  return {
    regionId: "cn-hangzhou",
    accessKeys: [KEY],
    securityGroups: ["sg-a", "sg-b", "sg-c", "sg-d"].map((securityGroupId) => ({
      securityGroupId,
      vpcId: "vpc-1",
    })),
    instances: [
      { instanceId: "i-web", vpcId: "vpc-1", securityGroupIds: ["sg-a", "sg-b"] },
      { instanceId: "i-busy", vpcId: "vpc-1", status: "Starting", securityGroupIds: ["sg-a"] },
    ],
    networkInterfaces: [
      { networkInterfaceId: "eni-webp", instanceId: "i-web", type: "Primary" },
      { networkInterfaceId: "eni-webb", instanceId: "i-web", securityGroupIds: ["sg-a"] },
      { networkInterfaceId: "eni-two", instanceId: "i-web", securityGroupIds: ["sg-a", "sg-b"] },
      { networkInterfaceId: "eni-busy", instanceId: "i-busy", securityGroupIds: ["sg-a", "sg-b"] },
      {
        networkInterfaceId: "eni-moving",
        vpcId: "vpc-1",
        status: "Detaching",
        instanceId: "i-web",
        securityGroupIds: ["sg-a"],
      },
      ...Array.from({ length: bulk }, (_, n) => ({
        networkInterfaceId: `eni-bulk${n}`,
        vpcId: "vpc-1",
        securityGroupIds: ["sg-a"],
      })),
    ],
  };
}

const eniAttachment = (eni: string, group: string, retain: boolean | null = null) => ({
  id: `${eni}:${group}`,
  network_interface_id: eni,
  security_group_id: group,
  retain_on_delete: retain,
  pending_security_group_ids: null,
  timeouts: null,
});
const instanceAttachment = (instance: string, group: string) => ({
  id: `${instance}:${group}`,
  instance_id: instance,
  security_group_id: group,
  retain_on_delete: null,
  pending_security_group_ids: null,
  timeouts: null,
});
const eniSet = (eni: string, groups: string[]) => ({
  id: eni,
  network_interface_id: eni,
  security_group_ids: groups,
  timeouts: null,
});

const errors = (d: readonly Diagnostic[] | undefined) => (d ?? []).filter((x) => x.severity === "error");
const warnings = (d: readonly Diagnostic[] | undefined) => (d ?? []).filter((x) => x.severity === "warning");

describe("ENI resources", () => {
  let emulator: Cloud;
  let provider: ProviderDefinition;

  beforeAll(async () => {
    emulator = await Cloud.start(world(250));
  });
  afterAll(async () => {
    await emulator.close();
  });
  /** A provider process configured against the emulator. */
  async function configured(): Promise<ProviderDefinition> {
    const definition = createProviderDefinition({});
    const diags = await definition.configureProvider(
      {
        region: "cn-hangzhou",
        endpoint: emulator.url,
        access_key: KEY.accessKeyId,
        secret_key: KEY.accessKeySecret,
        max_retries: 0,
        security_token: null,
        profile: null,
        max_security_groups_per_instance: null,
      },
      "1.11.4",
    );
    expect(errors(diags)).toEqual([]);
    return definition;
  }

  beforeEach(async () => {
    await emulator.reset(world(250));
    provider = await configured();
  });

  const plan = (typeName: string, prior: ObjectValue | null, proposed: ObjectValue | null) =>
    provider.planResourceChange({
      typeName,
      priorState: prior,
      proposedNewState: proposed,
      config: proposed,
      priorPrivate: Buffer.alloc(0),
    });
  const apply = (typeName: string, prior: ObjectValue | null, planned: ObjectValue | null) =>
    provider.applyResourceChange({
      typeName,
      priorState: prior,
      plannedState: planned,
      config: planned,
      plannedPrivate: Buffer.alloc(0),
    });
  const memberships = async () =>
    (await emulator.calls())
      .filter((c) => c.action === "JoinSecurityGroup" || c.action === "LeaveSecurityGroup")
      .map((c) => c.params);

  test("the provider serves both ENI resources, keyed by network_interface_id", () => {
    for (const typeName of [ENI_ATTACHMENT, ENI_SET]) {
      const names = provider.resourceSchemas[typeName].attributes.map((a) => a.name);
      expect(names).toContain("network_interface_id");
      expect(names).not.toContain("instance_id");
    }
  });

  test("create joins with NetworkInterfaceId and RegionId, delete leaves the same way", async () => {
    const state = eniAttachment("eni-webb", "sg-c");
    const planned = await plan(ENI_ATTACHMENT, null, { ...state, id: null });
    expect(errors(planned.diagnostics)).toEqual([]);
    expect(planned.plannedState).toMatchObject({ id: "eni-webb:sg-c" });
    const created = await apply(ENI_ATTACHMENT, null, planned.plannedState!);
    expect(errors(created.diagnostics)).toEqual([]);
    expect(created.newState).toMatchObject({ id: "eni-webb:sg-c", network_interface_id: "eni-webb" });
    expect(await emulator.networkInterfaceGroupsOf("eni-webb")).toEqual(["sg-a", "sg-c"]);
    // A later terraform command: a new provider process.
    provider = await configured();
    const removed = await apply(ENI_ATTACHMENT, created.newState!, null);
    expect(errors(removed.diagnostics)).toEqual([]);
    expect(removed.newState).toBeNull();
    expect(await emulator.networkInterfaceGroupsOf("eni-webb")).toEqual(["sg-a"]);
    expect(await memberships()).toEqual([
      { RegionId: "cn-hangzhou", NetworkInterfaceId: "eni-webb", SecurityGroupId: "sg-c" },
      { RegionId: "cn-hangzhou", NetworkInterfaceId: "eni-webb", SecurityGroupId: "sg-c" },
    ]);
    // The secondary ENI is a subject of its own: the instance's groups did not change.
    expect(await emulator.groupsOf("i-web")).toEqual(["sg-a", "sg-b"]);
  });

  test("refuses at plan to remove an ENI's last group, and a refused removal keeps the state", async () => {
    const state = eniAttachment("eni-webb", "sg-a");
    const planned = await plan(ENI_ATTACHMENT, state, null);
    expect(errors(planned.diagnostics)[0].summary).toMatch(/^InstanceLastSecurityGroup: .*eni-webb/);
    const applied = await apply(ENI_ATTACHMENT, state, null);
    expect(applied.newState).toEqual(state);
    expect(await memberships()).toEqual([]);
  });

  test("a changed security_group_id moves in place: join the new group, then leave the old one", async () => {
    const prior = eniAttachment("eni-webb", "sg-a");
    const proposed = { ...prior, security_group_id: "sg-d" };
    const planned = await plan(ENI_ATTACHMENT, prior, proposed);
    expect(errors(planned.diagnostics)).toEqual([]);
    expect(planned.requiresReplace ?? []).toEqual([]);
    const applied = await apply(ENI_ATTACHMENT, prior, planned.plannedState!);
    expect(errors(applied.diagnostics)).toEqual([]);
    expect((await memberships()).map((p) => `${p.SecurityGroupId}`)).toEqual(["sg-d", "sg-a"]);
    expect(await emulator.networkInterfaceGroupsOf("eni-webb")).toEqual(["sg-d"]);
  });

  test("a changed network_interface_id replaces the resource", async () => {
    const prior = eniAttachment("eni-webb", "sg-c");
    const planned = await plan(ENI_ATTACHMENT, prior, { ...prior, network_interface_id: "eni-two" });
    expect(planned.requiresReplace).toEqual([["network_interface_id"]]);
  });

  test("refuses at plan an ENI whose instance is not Running or Stopped, and one being detached", async () => {
    const busy = await plan(ENI_ATTACHMENT, null, { ...eniAttachment("eni-busy", "sg-c"), id: null });
    expect(errors(busy.diagnostics)[0].summary).toMatch(
      /^IncorrectInstanceStatus: eni-busy is attached to i-busy/,
    );
    const moving = await plan(ENI_ATTACHMENT, null, { ...eniAttachment("eni-moving", "sg-c"), id: null });
    expect(errors(moving.diagnostics)[0].summary).toMatch(
      /^IncorrectNetworkInterfaceStatus: eni-moving is Detaching/,
    );
  });

  test("refuses at plan an ENI that does not exist", async () => {
    const planned = await plan(ENI_ATTACHMENT, null, { ...eniAttachment("eni-nope", "sg-c"), id: null });
    expect(errors(planned.diagnostics)[0].summary).toMatch(/^InvalidEniId\.NotFound: /);
  });

  test("refuses at plan an instance's ID given as network_interface_id, also beside that instance's resources", async () => {
    const [a, b] = await Promise.all([
      plan("alisg_attachment", null, { ...instanceAttachment("i-web", "sg-c"), id: null }),
      plan(ENI_ATTACHMENT, null, { ...eniAttachment("i-web", "sg-d"), id: null }),
    ]);
    expect(errors(a.diagnostics)).toEqual([]);
    expect(errors(b.diagnostics).map((d) => d.summary)).toEqual([
      "InvalidEniId.NotFound: i-web does not exist, so it cannot join sg-d",
    ]);
  });

  test("an instance attachment and a primary-ENI attachment of one pair are a DuplicateAttachment", async () => {
    const [a, b] = await Promise.all([
      plan("alisg_attachment", null, { ...instanceAttachment("i-web", "sg-c"), id: null }),
      plan(ENI_ATTACHMENT, null, { ...eniAttachment("eni-webp", "sg-c"), id: null }),
    ]);
    const found = [...errors(a.diagnostics), ...errors(b.diagnostics)];
    expect(found.map((d) => d.summary.split(":")[0])).toEqual(["DuplicateAttachment"]);
  });

  test("a primary-ENI set beside an instance attachment is MixedMembershipResources", async () => {
    const [a, b] = await Promise.all([
      plan(ENI_SET, null, { ...eniSet("eni-webp", ["sg-a", "sg-b"]), id: null }),
      plan("alisg_attachment", null, { ...instanceAttachment("i-web", "sg-c"), id: null }),
    ]);
    const found = [...errors(a.diagnostics), ...errors(b.diagnostics)];
    expect(found.map((d) => d.summary.split(":")[0])).toEqual(["MixedMembershipResources"]);
  });

  test("removals through the instance and its primary ENI count together for the last group", async () => {
    const [a, b] = await Promise.all([
      plan("alisg_attachment", instanceAttachment("i-web", "sg-a"), null),
      plan(ENI_ATTACHMENT, eniAttachment("eni-webp", "sg-b"), null),
    ]);
    const found = [...errors(a.diagnostics), ...errors(b.diagnostics)];
    expect(found.map((d) => d.summary.split(":")[0])).toEqual(["InstanceLastSecurityGroup"]);
  });

  test("joining through the primary ENI changes the instance's groups", async () => {
    const planned = await plan(ENI_ATTACHMENT, null, { ...eniAttachment("eni-webp", "sg-d"), id: null });
    await apply(ENI_ATTACHMENT, null, planned.plannedState!);
    expect(await emulator.groupsOf("i-web")).toEqual(["sg-a", "sg-b", "sg-d"]);
    expect((await memberships())[0]).toEqual({
      RegionId: "cn-hangzhou",
      NetworkInterfaceId: "eni-webp",
      SecurityGroupId: "sg-d",
    });
  });

  test("read drops an ENI attachment whose membership is gone (drift), and the next plan re-creates it", async () => {
    const state = eniAttachment("eni-two", "sg-b");
    await emulator.patchNetworkInterface("eni-two", { securityGroupIds: ["sg-a"] });
    const read = await provider.readResource({
      typeName: ENI_ATTACHMENT,
      currentState: state,
      private: Buffer.alloc(0),
    });
    expect(read.newState).toBeNull();
    const planned = await plan(ENI_ATTACHMENT, null, { ...state, id: null });
    await apply(ENI_ATTACHMENT, null, planned.plannedState!);
    expect(await emulator.networkInterfaceGroupsOf("eni-two")).toEqual(["sg-a", "sg-b"]);
  });

  test("import takes <network_interface_id>:<security_group_id> and refuses a membership that does not exist", async () => {
    const ok = await provider.importResourceState({ typeName: ENI_ATTACHMENT, id: "eni-two:sg-b" });
    expect(ok.resources.map((r) => r.state)).toEqual([eniAttachment("eni-two", "sg-b")]);
    const missing = await provider.importResourceState({ typeName: ENI_ATTACHMENT, id: "eni-two:sg-c" });
    expect(missing.resources).toEqual([]);
    expect(errors(missing.diagnostics)[0].summary).toContain("eni-two is not in sg-c");
    const gone = await provider.importResourceState({ typeName: ENI_ATTACHMENT, id: "eni-nope:sg-c" });
    expect(errors(gone.diagnostics)[0].detail).toContain("No network interface eni-nope");
  });

  test("the authoritative ENI set joins first, then leaves what it does not list, and warns about it at plan", async () => {
    const proposed = { ...eniSet("eni-two", ["sg-c"]), id: null };
    const planned = await plan(ENI_SET, null, proposed);
    expect(errors(planned.diagnostics)).toEqual([]);
    expect(warnings(planned.diagnostics)[0].summary).toMatch(/^UnlistedSecurityGroups: /);
    const applied = await apply(ENI_SET, null, planned.plannedState!);
    expect(errors(applied.diagnostics)).toEqual([]);
    expect(applied.newState).toMatchObject({ id: "eni-two", security_group_ids: ["sg-c"] });
    expect((await memberships()).map((p) => `${p.NetworkInterfaceId} ${p.SecurityGroupId}`)).toEqual([
      "eni-two sg-c",
      "eni-two sg-a",
      "eni-two sg-b",
    ]);
  });

  test("the ENI set: read records the live groups, import by the ENI ID, delete forgets without calls, empty refused", async () => {
    const read = await provider.readResource({
      typeName: ENI_SET,
      currentState: eniSet("eni-two", ["sg-a"]),
      private: Buffer.alloc(0),
    });
    expect(read.newState).toMatchObject({ security_group_ids: ["sg-a", "sg-b"] });
    const imported = await provider.importResourceState({ typeName: ENI_SET, id: "eni-webb" });
    expect(imported.resources[0].state).toMatchObject({
      network_interface_id: "eni-webb",
      security_group_ids: ["sg-a"],
    });
    const deleted = await apply(ENI_SET, eniSet("eni-two", ["sg-a", "sg-b"]), null);
    expect(deleted.newState).toBeNull();
    expect(await memberships()).toEqual([]);
    const empty = await provider.validateResourceConfig!(ENI_SET, { ...eniSet("eni-two", []), id: null });
    expect(errors(empty)[0].summary).toMatch(/^InstanceLastSecurityGroup: .*network interface must keep/);
  });

  test("a malformed ENI ID is refused with InvalidEniId.Malformed at validate and plan, pointing at network_interface_id", async () => {
    const diags = await provider.validateResourceConfig!(ENI_ATTACHMENT, {
      ...eniAttachment("eni bad", "sg-a"),
      id: null,
    });
    expect(errors(diags)).toHaveLength(1);
    expect(errors(diags)[0].attribute).toEqual(["network_interface_id"]);
    expect(errors(diags)[0].summary).toBe(
      'InvalidEniId.Malformed: "eni bad" is not a valid network interface ID (it contains whitespace), so it cannot join sg-a',
    );
    const planned = await plan(ENI_ATTACHMENT, null, { ...eniAttachment("eni bad", "sg-a"), id: null });
    expect(errors(planned.diagnostics)[0].summary).toMatch(/^InvalidEniId\.Malformed: "eni bad" /);
    const set = await plan(ENI_SET, null, { ...eniSet("eni;x", ["sg-a"]), id: null });
    expect(errors(set.diagnostics)[0].summary).toMatch(
      /^InvalidEniId\.Malformed: "eni;x" is not a valid network interface ID/,
    );
    expect(errors(set.diagnostics)[0].attribute).toEqual(["network_interface_id"]);
    const imported = await provider.importResourceState({ typeName: ENI_SET, id: "eni bad" });
    expect(errors(imported.diagnostics)[0].summary).toMatch(/^InvalidEniId\.Malformed: /);
    // An instance keeps the instance code.
    const inst = await provider.validateResourceConfig!("alisg_attachment", {
      ...instanceAttachment("i bad", "sg-a"),
      id: null,
    });
    expect(errors(inst)[0].summary).toMatch(
      /^InvalidInstanceId\.Malformed: "i bad" is not a valid instance ID/,
    );
    expect(await memberships()).toEqual([]);
  });

  test("a join whose call fails keeps nothing it does not hold, with the code", async () => {
    await emulator.setFaults({ script: [{ action: "JoinSecurityGroup", fault: "serverError" }] });
    const planned = await plan(ENI_ATTACHMENT, null, { ...eniAttachment("eni-webb", "sg-c"), id: null });
    const applied = await apply(ENI_ATTACHMENT, null, planned.plannedState!);
    expect(errors(applied.diagnostics)[0].summary).toContain("InternalError");
    expect(applied.newState).toBeNull();
  });

  test("concurrent reads of 250 ENIs share DescribeNetworkInterfaces calls of up to 100 IDs", async () => {
    const states = Array.from({ length: 250 }, (_, n) => eniAttachment(`eni-bulk${n}`, "sg-a"));
    const results = await Promise.all(
      states.map((s) =>
        provider.readResource({ typeName: ENI_ATTACHMENT, currentState: s, private: Buffer.alloc(0) }),
      ),
    );
    expect(results.every((r, n) => r.newState?.id === states[n].id)).toBe(true);
    await Promise.all(states.map((s) => plan(ENI_ATTACHMENT, s, s)));
    const describes = (await emulator.calls()).filter((c) => c.action === "DescribeNetworkInterfaces");
    expect(describes).toHaveLength(3);
    const described = describes.flatMap((c) =>
      Object.keys(c.params).filter((k) => k.startsWith("NetworkInterfaceId.")),
    );
    expect(described).toHaveLength(250);
  });
});
