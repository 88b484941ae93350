/**
 * The ECS client's ENI calls against the emulator over real HTTP, with real
 * signatures: DescribeNetworkInterfaces batched by 100 IDs, Join/Leave with
 * NetworkInterfaceId, and errors classified as for instances.
 */
import type { EmulatorSeed } from "../../src/emulator/server";
import { EmulatorHarness, KEY, rejectionOf } from "./emulator-helpers";

const seed: EmulatorSeed = {
  regionId: "cn-hangzhou",
  accessKeys: [KEY],
  securityGroups: ["sg-base", "sg-web", "sg-db"].map((securityGroupId) => ({
    securityGroupId,
    vpcId: "vpc-main",
  })),
  instances: [
    { instanceId: "i-web1", vpcId: "vpc-main", securityGroupIds: ["sg-base", "sg-web"] },
    { instanceId: "i-busy", vpcId: "vpc-main", status: "Starting", securityGroupIds: ["sg-base"] },
  ],
  networkInterfaces: [
    { networkInterfaceId: "eni-web1p", instanceId: "i-web1", type: "Primary" },
    { networkInterfaceId: "eni-web1b", instanceId: "i-web1", securityGroupIds: ["sg-base"] },
    { networkInterfaceId: "eni-free", vpcId: "vpc-main", securityGroupIds: ["sg-db"] },
    { networkInterfaceId: "eni-busy", instanceId: "i-busy", securityGroupIds: ["sg-base", "sg-web"] },
    {
      networkInterfaceId: "eni-new",
      vpcId: "vpc-main",
      status: "Creating",
      securityGroupIds: ["sg-base", "sg-web"],
    },
  ],
};

let harness: EmulatorHarness;
beforeAll(async () => {
  harness = await EmulatorHarness.start(seed);
});
afterAll(async () => {
  await harness?.close();
});
beforeEach(async () => {
  await harness.reset(seed);
});

const eniGroups = (id: string) => harness.networkInterfaceGroupsOf(id);

describe.each(["ACS3-HMAC-SHA256", "v2"] as const)("ENIs with the %s signature", (signatureAlgorithm) => {
  const client = (overrides = {}) => harness.client({ signatureAlgorithm, ...overrides });

  it("describes ENIs by ID: type, status, instance, VPC and groups; unknown IDs absent", async () => {
    const found = await client().describeNetworkInterfaces(["eni-web1p", "eni-free", "eni-nope"]);
    expect([...found.keys()].sort()).toEqual(["eni-free", "eni-web1p"]);
    expect(found.get("eni-web1p")).toEqual({
      networkInterfaceId: "eni-web1p",
      type: "Primary",
      status: "InUse",
      instanceId: "i-web1",
      vpcId: "vpc-main",
      securityGroupIds: ["sg-base", "sg-web"],
    });
    expect(found.get("eni-free")).toMatchObject({ instanceId: null, status: "Available" });
    const calls = await harness.calls();
    expect(calls.map((c) => c.action)).toEqual(["DescribeNetworkInterfaces"]);
    expect(calls[0].params).toMatchObject({
      RegionId: "cn-hangzhou",
      "NetworkInterfaceId.1": "eni-web1p",
      "NetworkInterfaceId.2": "eni-free",
      "NetworkInterfaceId.3": "eni-nope",
    });
  });

  it("makes no call for no IDs", async () => {
    expect((await client().describeNetworkInterfaces([])).size).toBe(0);
    expect(await harness.calls()).toEqual([]);
  });

  it("describes 250 ENIs in 3 calls of at most 100 IDs, each ID once", async () => {
    const bulk = Array.from({ length: 250 }, (_, i) => `eni-bulk${String(i).padStart(3, "0")}`);
    await harness.reset({
      ...seed,
      networkInterfaces: bulk.map((networkInterfaceId) => ({
        networkInterfaceId,
        vpcId: "vpc-main",
        securityGroupIds: ["sg-base"],
      })),
    });
    const found = await client().describeNetworkInterfaces([...bulk, ...bulk.slice(0, 10)]);
    expect(found.size).toBe(250);
    const calls = await harness.calls();
    expect(
      calls.map((c) => Object.keys(c.params).filter((k) => k.startsWith("NetworkInterfaceId.")).length),
    ).toEqual([100, 100, 50]);
    expect(calls.every((c) => c.httpStatus === 200)).toBe(true);
  });

  it("pages with MaxResults and NextToken", async () => {
    const found = await client({ pageSize: 2 }).describeNetworkInterfaces([
      "eni-web1p",
      "eni-web1b",
      "eni-free",
      "eni-busy",
      "eni-new",
    ]);
    expect(found.size).toBe(5);
    const calls = await harness.calls();
    expect(calls.map((c) => [c.params.MaxResults, c.params.NextToken !== undefined])).toEqual([
      ["2", false],
      ["2", true],
      ["2", true],
    ]);
  });

  it("joins and leaves with NetworkInterfaceId and RegionId, never InstanceId", async () => {
    expect(
      await client().joinSecurityGroup("eni-web1b", "sg-db", { member: "networkInterface" }),
    ).toMatchObject({
      alreadyDone: false,
      attempts: 1,
    });
    expect(await eniGroups("eni-web1b")).toEqual(["sg-base", "sg-db"]);
    await client().leaveSecurityGroup("eni-web1b", "sg-base", { member: "networkInterface" });
    expect(await eniGroups("eni-web1b")).toEqual(["sg-db"]);
    const calls = await harness.calls();
    expect(calls.map((c) => c.params)).toEqual([
      { RegionId: "cn-hangzhou", NetworkInterfaceId: "eni-web1b", SecurityGroupId: "sg-db" },
      { RegionId: "cn-hangzhou", NetworkInterfaceId: "eni-web1b", SecurityGroupId: "sg-base" },
    ]);
  });

  it("a join through the primary ENI is the instance's join", async () => {
    await client().joinSecurityGroup("eni-web1p", "sg-db", { member: "networkInterface" });
    expect((await client().describeInstances(["i-web1"])).get("i-web1")?.securityGroupIds).toEqual([
      "sg-base",
      "sg-web",
      "sg-db",
    ]);
  });

  it("treats a group the ENI is already in as already done", async () => {
    expect(
      await client().joinSecurityGroup("eni-web1b", "sg-base", { member: "networkInterface" }),
    ).toMatchObject({
      alreadyDone: true,
    });
  });

  it.each([
    ["a group the ENI is not in", "eni-web1b", "sg-web"],
    ["an ENI that is gone", "eni-gone", "sg-web"],
    ["a group that is gone", "eni-web1b", "sg-gone"],
  ])("treats leaving %s as already done", async (_name, eni, group) => {
    expect(await client().leaveSecurityGroup(eni, group, { member: "networkInterface" })).toMatchObject({
      alreadyDone: true,
    });
  });

  it.each([
    ["the last group of an ENI", "Leave", "eni-web1b", "sg-base", "InstanceLastSecurityGroup"],
    ["an unknown ENI", "Join", "eni-gone", "sg-web", "InvalidEniId.NotFound"],
    ["an ENI whose instance is Starting", "Leave", "eni-busy", "sg-web", "IncorrectInstanceStatus"],
    ["an ENI being created", "Join", "eni-new", "sg-db", "InvalidStatus.EniOrInstanceIsBeingCreated"],
  ])("reports %s as a refusal, not retried", async (_name, verb, eni, group, code) => {
    const c = client();
    const call =
      verb === "Join"
        ? c.joinSecurityGroup(eni, group, { member: "networkInterface" })
        : c.leaveSecurityGroup(eni, group, { member: "networkInterface" });
    const e = await rejectionOf(call);
    expect(e).toMatchObject({ code, category: "refusal", attempts: 1, action: `${verb}SecurityGroup` });
    expect(await harness.calls()).toHaveLength(1);
  });

  it("retries a throttled ENI describe until it answers", async () => {
    await harness.setFaults({ script: [{ action: "DescribeNetworkInterfaces", fault: "throttling" }] });
    const found = await client().describeNetworkInterfaces(["eni-free"]);
    expect(found.has("eni-free")).toBe(true);
    expect((await harness.calls()).map((c) => c.code)).toEqual(["Throttling.User", null]);
  });

  it("never reads Forbidden.RAM on DescribeNetworkInterfaces as gone", async () => {
    await harness.restrictKeys(["DescribeInstances", "DescribeSecurityGroups"]);
    const e = await rejectionOf(client().describeNetworkInterfaces(["eni-free"]));
    expect(e).toMatchObject({ code: "Forbidden.RAM", category: "forbidden" });
  });
});
