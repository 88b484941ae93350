import { joinSecurityGroup } from "../../src/emulator/actions/join-security-group";
import { EmulatorStateError, parseState } from "../../src/emulator/state";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { eniWorld } from "./eni-world";
import { failure, sdkClient, type SdkCall } from "./sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, world } from "./world";

const REGION = { RegionId: "cn-hangzhou" };

describe.each([
  ["ACS3-HMAC-SHA256", undefined],
  ["HMAC-SHA1 (signatureAlgorithm v2)", "v2" as const],
])("network interfaces over %s", (_name, signatureAlgorithm) => {
  let emulator: RunningEmulator;
  let call: SdkCall;

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: eniWorld() });
    call = sdkClient(emulator.url, {
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      signatureAlgorithm,
    });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await fetch(`${emulator.url}/_emulator/state`, { method: "PUT", body: JSON.stringify(eniWorld()) });
  });

  const eniGroups = (id: string) =>
    emulator.state().networkInterfaces.find((n) => n.networkInterfaceId === id)?.securityGroupIds;
  const instanceGroups = (id: string) =>
    emulator.state().instances.find((i) => i.instanceId === id)?.securityGroupIds;

  test("a secondary ENI joins and leaves a group; its instance's groups do not change", async () => {
    const joined = await call("JoinSecurityGroup", {
      NetworkInterfaceId: "eni-run-b",
      SecurityGroupId: "sg-web",
      ...REGION,
    });
    expect(Object.keys(joined)).toEqual(["RequestId"]);
    expect(eniGroups("eni-run-b")).toEqual(["sg-db", "sg-web"]);
    await call("LeaveSecurityGroup", {
      NetworkInterfaceId: "eni-run-b",
      SecurityGroupId: "sg-db",
      ...REGION,
    });
    expect(eniGroups("eni-run-b")).toEqual(["sg-web"]);
    expect(instanceGroups("i-run")).toEqual(["sg-base", "sg-web"]);
  });

  test("a detached (Available) ENI may change", async () => {
    await call("LeaveSecurityGroup", {
      NetworkInterfaceId: "eni-free",
      SecurityGroupId: "sg-web",
      ...REGION,
    });
    expect(eniGroups("eni-free")).toEqual(["sg-base"]);
  });

  test("joining through the primary ENI changes the instance's groups", async () => {
    await call("JoinSecurityGroup", { NetworkInterfaceId: "eni-run-p", SecurityGroupId: "sg-db", ...REGION });
    expect(instanceGroups("i-run")).toEqual(["sg-base", "sg-web", "sg-db"]);
    const attr = await call("DescribeInstanceAttribute", { InstanceId: "i-run" });
    expect(attr.SecurityGroupIds).toEqual({ SecurityGroupId: ["sg-base", "sg-web", "sg-db"] });
  });

  test("leaving through the instance changes its primary ENI's groups", async () => {
    await call("LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-web" });
    const body = await call("DescribeNetworkInterfaces", { "NetworkInterfaceId.1": "eni-run-p", ...REGION });
    const sets = body.NetworkInterfaceSets as { NetworkInterfaceSet: { SecurityGroupIds: unknown }[] };
    expect(sets.NetworkInterfaceSet[0].SecurityGroupIds).toEqual({ SecurityGroupId: ["sg-base"] });
  });

  test("the primary ENI and the instance share the last-group rule", async () => {
    await call("LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-web" });
    const err = await failure(
      call("LeaveSecurityGroup", { NetworkInterfaceId: "eni-run-p", SecurityGroupId: "sg-base", ...REGION }),
    );
    expect([err.statusCode, err.code]).toEqual([403, "InstanceLastSecurityGroup"]);
  });

  test("concurrent joins through the instance and its primary ENI are applied one after another", async () => {
    await Promise.all([
      call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }),
      call("JoinSecurityGroup", { NetworkInterfaceId: "eni-run-p", SecurityGroupId: "sg-g4", ...REGION }),
      call("JoinSecurityGroup", { NetworkInterfaceId: "eni-run-p", SecurityGroupId: "sg-g5", ...REGION }),
    ]);
    expect([...(instanceGroups("i-run") ?? [])].sort()).toEqual([
      "sg-base",
      "sg-db",
      "sg-g4",
      "sg-g5",
      "sg-web",
    ]);
    expect(eniGroups("eni-run-p")).toEqual(instanceGroups("i-run"));
  });

  const refusals: [string, "Join" | "Leave", Record<string, string>, number, string][] = [
    [
      "refuses both InstanceId and NetworkInterfaceId",
      "Join",
      { InstanceId: "i-run", NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-web", ...REGION },
      403,
      "InvalidParam.EniIdAndInstanceId.Conflict",
    ],
    [
      "refuses both IDs on Leave too",
      "Leave",
      { InstanceId: "i-run", NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-db", ...REGION },
      403,
      "InvalidParam.EniIdAndInstanceId.Conflict",
    ],
    [
      "refuses an ENI without RegionId",
      "Join",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-web" },
      400,
      "MissingParameter.RegionId",
    ],
    [
      "refuses an ENI without RegionId on Leave",
      "Leave",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-db" },
      400,
      "MissingParameter.RegionId",
    ],
    [
      "refuses an unknown ENI",
      "Join",
      { NetworkInterfaceId: "eni-nope", SecurityGroupId: "sg-web", ...REGION },
      404,
      "InvalidEniId.NotFound",
    ],
    [
      "refuses an unknown ENI on Leave",
      "Leave",
      { NetworkInterfaceId: "eni-nope", SecurityGroupId: "sg-web", ...REGION },
      404,
      "InvalidEniId.NotFound",
    ],
    [
      "refuses a malformed ENI ID",
      "Join",
      { NetworkInterfaceId: "eni run", SecurityGroupId: "sg-web", ...REGION },
      400,
      "InvalidEniId.Malformed",
    ],
    [
      "refuses an unknown group",
      "Join",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-nope", ...REGION },
      404,
      "InvalidSecurityGroupId.NotFound",
    ],
    [
      "refuses to leave an ENI's last group",
      "Leave",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-db", ...REGION },
      403,
      "InstanceLastSecurityGroup",
    ],
    [
      "refuses to leave a group the ENI is not in",
      "Leave",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-web", ...REGION },
      400,
      "InvalidSecurityGroupAssociation.NotFound",
    ],
    [
      "refuses a group the ENI is already in",
      "Join",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-db", ...REGION },
      403,
      "InvalidInstanceId.AlreadyExists",
    ],
    [
      "refuses a sixth group on an ENI",
      "Join",
      { NetworkInterfaceId: "eni-full", SecurityGroupId: "sg-g6", ...REGION },
      400,
      "InstanceSecurityGroupLimitExceeded",
    ],
    [
      "refuses a group in another VPC",
      "Join",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-other", ...REGION },
      400,
      "InvalidInstanceId.Mismatch",
    ],
    [
      "refuses an enterprise group on an ENI in normal groups",
      "Join",
      { NetworkInterfaceId: "eni-run-b", SecurityGroupId: "sg-ops", ...REGION },
      400,
      "InvalidOperation.MultiGroupType",
    ],
    [
      "refuses a normal group on an ENI in enterprise groups",
      "Join",
      { NetworkInterfaceId: "eni-ent", SecurityGroupId: "sg-web", ...REGION },
      400,
      "InvalidOperation.MultiGroupType",
    ],
    [
      "refuses an ENI being created",
      "Join",
      { NetworkInterfaceId: "eni-creating", SecurityGroupId: "sg-db", ...REGION },
      400,
      "InvalidStatus.EniOrInstanceIsBeingCreated",
    ],
    [
      "refuses an ENI being attached",
      "Leave",
      { NetworkInterfaceId: "eni-attaching", SecurityGroupId: "sg-web", ...REGION },
      403,
      "IncorrectNetworkInterfaceStatus",
    ],
    [
      "refuses an ENI being detached",
      "Join",
      { NetworkInterfaceId: "eni-detaching", SecurityGroupId: "sg-db", ...REGION },
      403,
      "IncorrectNetworkInterfaceStatus",
    ],
    [
      "refuses an ENI being deleted",
      "Leave",
      { NetworkInterfaceId: "eni-deleting", SecurityGroupId: "sg-web", ...REGION },
      403,
      "IncorrectNetworkInterfaceStatus",
    ],
    [
      "refuses an ENI whose instance is Stopping",
      "Leave",
      { NetworkInterfaceId: "eni-stopping-b", SecurityGroupId: "sg-web", ...REGION },
      403,
      "IncorrectInstanceStatus",
    ],
    [
      "refuses an ENI whose instance is locked for security",
      "Join",
      { NetworkInterfaceId: "eni-locked-b", SecurityGroupId: "sg-db", ...REGION },
      403,
      "InstanceLockedForSecurity",
    ],
  ];
  test.each(refusals)("%s", async (_title, verb, query, status, code) => {
    const before = emulator.state();
    const err = await failure(call(`${verb}SecurityGroup`, query));
    expect([err.statusCode, err.code]).toEqual([status, code]);
    expect(emulator.state()).toEqual(before);
  });
});

describe("DescribeNetworkInterfaces", () => {
  let emulator: RunningEmulator;
  let call: SdkCall;
  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: eniWorld() });
    call = sdkClient(emulator.url, { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET });
  });
  afterAll(() => emulator.close());

  const describeIds = async (query: Record<string, string>) => {
    const body = await call("DescribeNetworkInterfaces", { ...REGION, MaxResults: "100", ...query });
    const sets = body.NetworkInterfaceSets as { NetworkInterfaceSet: { NetworkInterfaceId: string }[] };
    return sets.NetworkInterfaceSet.map((n) => n.NetworkInterfaceId);
  };

  test("answers the documented shape", async () => {
    const body = await call("DescribeNetworkInterfaces", { ...REGION, "NetworkInterfaceId.1": "eni-run-b" });
    expect(body).toEqual({
      RequestId: expect.any(String),
      TotalCount: 1,
      NextToken: "",
      PageNumber: 1,
      PageSize: 10,
      NetworkInterfaceSets: {
        NetworkInterfaceSet: [
          {
            NetworkInterfaceId: "eni-run-b",
            NetworkInterfaceName: "eni-run-b",
            Type: "Secondary",
            Status: "InUse",
            InstanceId: "i-run",
            VpcId: "vpc-main",
            VSwitchId: "vsw-b",
            SecurityGroupIds: { SecurityGroupId: ["sg-db"] },
          },
        ],
      },
    });
  });

  test("a detached ENI has an empty InstanceId", async () => {
    const body = await call("DescribeNetworkInterfaces", { ...REGION, "NetworkInterfaceId.1": "eni-free" });
    const sets = body.NetworkInterfaceSets as {
      NetworkInterfaceSet: { InstanceId: string; Status: string }[];
    };
    expect(sets.NetworkInterfaceSet[0]).toMatchObject({ InstanceId: "", Status: "Available" });
  });

  test.each([
    [
      "NetworkInterfaceId.N, in world order, unknown IDs absent",
      {
        "NetworkInterfaceId.1": "eni-full",
        "NetworkInterfaceId.2": "eni-nope",
        "NetworkInterfaceId.3": "eni-run-p",
      },
      ["eni-run-p", "eni-full"],
    ],
    ["InstanceId", { InstanceId: "i-locked" }, ["eni-locked-b"]],
    ["Type", { Type: "Primary" }, ["eni-run-p"]],
    ["Status", { Status: "Deleting" }, ["eni-deleting"]],
    ["VSwitchId", { VSwitchId: "vsw-b" }, ["eni-run-b"]],
    ["SecurityGroupId", { SecurityGroupId: "sg-ops" }, ["eni-ent"]],
    ["VpcId", { VpcId: "vpc-other" }, []],
    [
      "InstanceId and Type together",
      { InstanceId: "i-run", Type: "Secondary" },
      ["eni-run-b", "eni-attaching", "eni-detaching", "eni-full", "eni-ent"],
    ],
  ])("filters by %s", async (_name, query, expected) => {
    expect(await describeIds(query)).toEqual(expected);
  });

  test("pages with MaxResults and NextToken", async () => {
    const all = await describeIds({});
    expect(all).toHaveLength(11);
    const seen: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const body = await call("DescribeNetworkInterfaces", {
        ...REGION,
        MaxResults: "4",
        ...(token ? { NextToken: token } : {}),
      });
      const sets = body.NetworkInterfaceSets as { NetworkInterfaceSet: { NetworkInterfaceId: string }[] };
      seen.push(...sets.NetworkInterfaceSet.map((n) => n.NetworkInterfaceId));
      token = String(body.NextToken);
      pages += 1;
    } while (token !== "");
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
  });

  test("pages with PageNumber and PageSize", async () => {
    const body = await call("DescribeNetworkInterfaces", { ...REGION, PageNumber: "2", PageSize: "5" });
    const sets = body.NetworkInterfaceSets as { NetworkInterfaceSet: { NetworkInterfaceId: string }[] };
    expect(body).toMatchObject({ TotalCount: 11, PageNumber: 2, PageSize: 5 });
    expect(sets.NetworkInterfaceSet.map((n) => n.NetworkInterfaceId)).toEqual(
      (await describeIds({})).slice(5, 10),
    );
  });

  test.each([
    ["no RegionId", {}, 400, "MissingParameter.RegionId"],
    [
      "NetworkInterfaceId.101",
      { ...REGION, "NetworkInterfaceId.101": "eni-a" },
      400,
      "InvalidParameter.NetworkInterfaceId",
    ],
    [
      "NetworkInterfaceId.0",
      { ...REGION, "NetworkInterfaceId.0": "eni-a" },
      400,
      "InvalidParameter.NetworkInterfaceId",
    ],
    ["an unknown Type", { ...REGION, Type: "Tertiary" }, 400, "InvalidParameter.Type"],
    ["an unknown Status", { ...REGION, Status: "Busy" }, 400, "InvalidParameter.Status"],
    ["another region", { RegionId: "us-west-1" }, 404, "InvalidRegionId.NotFound"],
  ])("refuses %s", async (_name, query, status, code) => {
    const err = await failure(call("DescribeNetworkInterfaces", query));
    expect([err.statusCode, err.code]).toEqual([status, code]);
  });
});

describe("PATCH /_emulator/network-interfaces/{id}", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: eniWorld() });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await fetch(`${emulator.url}/_emulator/state`, { method: "PUT", body: JSON.stringify(eniWorld()) });
  });
  const patch = async (path: string, body: unknown) => {
    const res = await fetch(`${emulator.url}${path}`, { method: "PATCH", body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  test("changes status, groups and attachment of one ENI and answers it", async () => {
    const res = await patch("/_emulator/network-interfaces/eni-free", {
      status: "InUse",
      instanceId: "i-stopped",
      securityGroupIds: ["sg-db"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      networkInterfaceId: "eni-free",
      status: "InUse",
      instanceId: "i-stopped",
      securityGroupIds: ["sg-db"],
    });
  });

  test("patching a primary ENI's groups changes its instance's groups", async () => {
    await patch("/_emulator/network-interfaces/eni-run-p", { securityGroupIds: ["sg-g4"] });
    expect(emulator.state().instances.find((i) => i.instanceId === "i-run")?.securityGroupIds).toEqual([
      "sg-g4",
    ]);
  });

  test("patching an instance's groups changes its primary ENI's groups", async () => {
    await patch("/_emulator/instances/i-run", { securityGroupIds: ["sg-g5", "sg-base"] });
    const eni = emulator.state().networkInterfaces.find((n) => n.networkInterfaceId === "eni-run-p");
    expect(eni?.securityGroupIds).toEqual(["sg-g5", "sg-base"]);
  });

  test.each([
    ["an unknown field", "eni-run-b", { type: "Primary" }, 400, "InvalidPatch"],
    ["an invalid status", "eni-run-b", { status: "Busy" }, 400, "InvalidState"],
    ["a group in another VPC", "eni-run-b", { securityGroupIds: ["sg-other"] }, 400, "InvalidState"],
    ["an unknown ENI", "eni-nope", { status: "InUse" }, 404, "NetworkInterfaceNotFound"],
  ])("refuses %s and keeps the world", async (_name, id, body, status, code) => {
    const before = emulator.state();
    const res = await patch(`/_emulator/network-interfaces/${id}`, body);
    expect([res.status, res.body.Code]).toEqual([status, code]);
    expect(emulator.state()).toEqual(before);
  });
});

describe("network interfaces in the seed", () => {
  const withEnis = (networkInterfaces: unknown[], instances = world().instances) => ({
    ...world(),
    instances,
    networkInterfaces,
  });
  const problems = (seed: unknown): readonly string[] => {
    try {
      parseState(seed);
    } catch (err) {
      if (err instanceof EmulatorStateError) return err.problems;
      throw err;
    }
    return [];
  };

  test("fills in defaults from the instance it is attached to", () => {
    const state = parseState(withEnis([{ networkInterfaceId: "eni-a", instanceId: "i-run" }]));
    expect(state.networkInterfaces[0]).toEqual({
      networkInterfaceId: "eni-a",
      instanceId: "i-run",
      type: "Secondary",
      status: "InUse",
      vpcId: "vpc-main",
      securityGroupIds: [],
      vSwitchId: "",
      networkInterfaceName: "eni-a",
    });
    expect(parseState(withEnis([{ networkInterfaceId: "eni-b" }])).networkInterfaces[0]).toMatchObject({
      instanceId: null,
      status: "Available",
      vpcId: null,
    });
  });

  test("a primary ENI without groups takes its instance's, and an instance without groups its primary ENI's", () => {
    const state = parseState(
      withEnis(
        [
          { networkInterfaceId: "eni-p1", instanceId: "i-run", type: "Primary" },
          {
            networkInterfaceId: "eni-p2",
            instanceId: "i-bare",
            type: "Primary",
            vpcId: "vpc-main",
            securityGroupIds: ["sg-db"],
          },
        ],
        [...(world().instances ?? []), { instanceId: "i-bare", vpcId: "vpc-main" }],
      ),
    );
    expect(state.networkInterfaces[0].securityGroupIds).toEqual(["sg-base", "sg-web"]);
    expect(state.instances.find((i) => i.instanceId === "i-bare")?.securityGroupIds).toEqual(["sg-db"]);
  });

  test.each([
    [
      "a primary ENI whose groups differ from its instance's",
      [{ networkInterfaceId: "eni-p", instanceId: "i-run", type: "Primary", securityGroupIds: ["sg-base"] }],
      "networkInterfaces[0].securityGroupIds: must equal instances[0].securityGroupIds",
    ],
    [
      "two primary ENIs on one instance",
      [
        { networkInterfaceId: "eni-p", instanceId: "i-run", type: "Primary" },
        { networkInterfaceId: "eni-q", instanceId: "i-run", type: "Primary" },
      ],
      "networkInterfaces[1].type: i-run already has a primary network interface",
    ],
    [
      "a primary ENI that is not attached",
      [{ networkInterfaceId: "eni-p", type: "Primary" }],
      "networkInterfaces[0].instanceId: a Primary network interface is always attached",
    ],
    [
      "an unknown instance",
      [{ networkInterfaceId: "eni-a", instanceId: "i-nope" }],
      "networkInterfaces[0].instanceId: i-nope is not in instances",
    ],
    [
      "an attached ENI that is Available",
      [{ networkInterfaceId: "eni-a", instanceId: "i-run", status: "Available" }],
      "networkInterfaces[0].status",
    ],
    [
      "an ENI in another VPC than its instance",
      [{ networkInterfaceId: "eni-a", instanceId: "i-run", vpcId: "vpc-other" }],
      "networkInterfaces[0].vpcId",
    ],
    [
      "a group in another VPC",
      [{ networkInterfaceId: "eni-a", vpcId: "vpc-main", securityGroupIds: ["sg-other"] }],
      "networkInterfaces[0].securityGroupIds[0]",
    ],
    [
      "mixed group types",
      [{ networkInterfaceId: "eni-a", vpcId: "vpc-main", securityGroupIds: ["sg-web", "sg-ops"] }],
      "mixes normal and enterprise",
    ],
    [
      "more groups than the limit",
      [
        {
          networkInterfaceId: "eni-a",
          vpcId: "vpc-main",
          securityGroupIds: ["sg-base", "sg-web", "sg-db", "sg-g4", "sg-g5", "sg-g6"],
        },
      ],
      "more than maxSecurityGroupsPerInstance",
    ],
    [
      "a duplicate ID",
      [{ networkInterfaceId: "eni-a" }, { networkInterfaceId: "eni-a" }],
      "networkInterfaces[1].networkInterfaceId",
    ],
    [
      "an unknown field",
      [{ networkInterfaceId: "eni-a", macAddress: "x" }],
      "networkInterfaces[0].macAddress: unknown field",
    ],
  ])("refuses %s", (_name, enis, expected) => {
    expect(problems(withEnis(enis)).join("\n")).toContain(expected);
  });

  test("the rules are plain functions: a join through a primary ENI returns a world where both lists changed", () => {
    const state = parseState(eniWorld());
    const next = joinSecurityGroup(state, {
      NetworkInterfaceId: "eni-run-p",
      SecurityGroupId: "sg-db",
      ...REGION,
    }).state;
    expect(next?.instances.find((i) => i.instanceId === "i-run")?.securityGroupIds).toEqual([
      "sg-base",
      "sg-web",
      "sg-db",
    ]);
    expect(
      next?.networkInterfaces.find((n) => n.networkInterfaceId === "eni-run-p")?.securityGroupIds,
    ).toEqual(["sg-base", "sg-web", "sg-db"]);
    expect(state.instances.find((i) => i.instanceId === "i-run")?.securityGroupIds).toEqual([
      "sg-base",
      "sg-web",
    ]);
  });
});
