import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { failure, sdkClient, type SdkCall } from "./sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, world } from "./world";

// Join and Leave through the official SDK core, both signature styles: every refusal with its code and HTTP status.
describe.each([
  ["ACS3-HMAC-SHA256", undefined],
  ["HMAC-SHA1 (signatureAlgorithm v2)", "v2" as const],
])("membership rules over %s", (_name, signatureAlgorithm) => {
  let emulator: RunningEmulator;
  let call: SdkCall;

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: world() });
    call = sdkClient(emulator.url, {
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      signatureAlgorithm,
    });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await fetch(`${emulator.url}/_emulator/state`, { method: "PUT", body: JSON.stringify(world()) });
  });

  const groupsOf = (instanceId: string) =>
    emulator.state().instances.find((i) => i.instanceId === instanceId)?.securityGroupIds;

  test("joins a group: the instance is in it afterwards and the answer is only a RequestId", async () => {
    const body = await call("JoinSecurityGroup", {
      InstanceId: "i-run",
      SecurityGroupId: "sg-db",
      RegionId: "cn-hangzhou",
    });
    expect(Object.keys(body)).toEqual(["RequestId"]);
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web", "sg-db"]);
  });

  test("leaves a group: the instance keeps the others", async () => {
    const body = await call("LeaveSecurityGroup", { InstanceId: "i-stopped", SecurityGroupId: "sg-web" });
    expect(Object.keys(body)).toEqual(["RequestId"]);
    expect(groupsOf("i-stopped")).toEqual(["sg-base"]);
  });

  test("a financial lock does not prevent changes", async () => {
    await call("LeaveSecurityGroup", { InstanceId: "i-financial", SecurityGroupId: "sg-web" });
    expect(groupsOf("i-financial")).toEqual(["sg-base"]);
  });

  const leaveRefusals: [string, Record<string, string>, number, string][] = [
    [
      "refuses to leave the last group",
      { InstanceId: "i-single", SecurityGroupId: "sg-base" },
      403,
      "InstanceLastSecurityGroup",
    ],
    [
      "refuses an instance that is Pending",
      { InstanceId: "i-pending", SecurityGroupId: "sg-web" },
      403,
      "IncorrectInstanceStatus",
    ],
    [
      "refuses an instance that is Starting",
      { InstanceId: "i-starting", SecurityGroupId: "sg-web" },
      403,
      "IncorrectInstanceStatus",
    ],
    [
      "refuses an instance that is Stopping",
      { InstanceId: "i-stopping", SecurityGroupId: "sg-web" },
      403,
      "IncorrectInstanceStatus",
    ],
    [
      "refuses a security-locked instance",
      { InstanceId: "i-locked", SecurityGroupId: "sg-web" },
      403,
      "InstanceLockedForSecurity",
    ],
    [
      "refuses to leave a group the instance is not in",
      { InstanceId: "i-run", SecurityGroupId: "sg-db" },
      400,
      "InvalidSecurityGroupAssociation.NotFound",
    ],
    [
      "refuses an unknown instance",
      { InstanceId: "i-nope", SecurityGroupId: "sg-web" },
      404,
      "InvalidInstanceId.NotFound",
    ],
    [
      "refuses an unknown group",
      { InstanceId: "i-run", SecurityGroupId: "sg-nope" },
      404,
      "InvalidSecurityGroupId.NotFound",
    ],
    [
      "refuses an empty instance ID",
      { InstanceId: "", SecurityGroupId: "sg-web" },
      400,
      "InvalidInstanceId.Malformed",
    ],
    [
      "refuses an instance ID with spaces",
      { InstanceId: "i-run x", SecurityGroupId: "sg-web" },
      400,
      "InvalidInstanceId.Malformed",
    ],
    [
      "refuses a group ID with odd characters",
      { InstanceId: "i-run", SecurityGroupId: "sg-web;drop" },
      400,
      "InvalidSecurityGroupId.Malformed",
    ],
    ["refuses a missing SecurityGroupId", { InstanceId: "i-run" }, 400, "MissingParameter.SecurityGroupId"],
    ["refuses a missing InstanceId", { SecurityGroupId: "sg-web" }, 400, "MissingParameter.InstanceId"],
    [
      "refuses InstanceId together with NetworkInterfaceId",
      { InstanceId: "i-run", NetworkInterfaceId: "eni-1", SecurityGroupId: "sg-web" },
      403,
      "InvalidParam.EniIdAndInstanceId.Conflict",
    ],
    [
      "refuses another region",
      { InstanceId: "i-run", SecurityGroupId: "sg-web", RegionId: "us-west-1" },
      404,
      "InvalidRegionId.NotFound",
    ],
  ];
  test.each(leaveRefusals)("Leave %s", async (_title, query, status, code) => {
    const before = emulator.state();
    const err = await failure(call("LeaveSecurityGroup", query));
    expect([err.statusCode, err.code]).toEqual([status, code]);
    expect(emulator.state()).toEqual(before);
  });

  const joinRefusals: [string, Record<string, string>, number, string][] = [
    [
      "refuses a group the instance is already in",
      { InstanceId: "i-run", SecurityGroupId: "sg-web" },
      403,
      "InvalidInstanceId.AlreadyExists",
    ],
    [
      "refuses a group in another VPC",
      { InstanceId: "i-run", SecurityGroupId: "sg-other" },
      400,
      "InvalidInstanceId.Mismatch",
    ],
    [
      "refuses an enterprise group for an instance in normal groups",
      { InstanceId: "i-run", SecurityGroupId: "sg-ops" },
      400,
      "InvalidOperation.MultiGroupType",
    ],
    [
      "refuses a normal group for an instance in enterprise groups",
      { InstanceId: "i-ent", SecurityGroupId: "sg-web" },
      400,
      "InvalidOperation.MultiGroupType",
    ],
    [
      "refuses a sixth group",
      { InstanceId: "i-full", SecurityGroupId: "sg-g6" },
      400,
      "InstanceSecurityGroupLimitExceeded",
    ],
    [
      "refuses an instance that is Stopping",
      { InstanceId: "i-stopping", SecurityGroupId: "sg-db" },
      403,
      "IncorrectInstanceStatus",
    ],
    [
      "refuses a security-locked instance",
      { InstanceId: "i-locked", SecurityGroupId: "sg-db" },
      403,
      "InstanceLockedForSecurity",
    ],
    [
      "refuses an unknown instance",
      { InstanceId: "i-nope", SecurityGroupId: "sg-db" },
      404,
      "InvalidInstanceId.NotFound",
    ],
    [
      "refuses an unknown group",
      { InstanceId: "i-run", SecurityGroupId: "sg-nope" },
      404,
      "InvalidSecurityGroupId.NotFound",
    ],
    [
      "refuses a malformed instance ID",
      { InstanceId: "i run", SecurityGroupId: "sg-db" },
      400,
      "InvalidInstanceId.Malformed",
    ],
    [
      "refuses an empty group ID",
      { InstanceId: "i-run", SecurityGroupId: "" },
      400,
      "InvalidSecurityGroupId.Malformed",
    ],
    ["refuses a missing SecurityGroupId", { InstanceId: "i-run" }, 400, "MissingParameter.SecurityGroupId"],
    [
      "refuses an unknown network interface",
      { NetworkInterfaceId: "eni-1", SecurityGroupId: "sg-db", RegionId: "cn-hangzhou" },
      404,
      "InvalidEniId.NotFound",
    ],
    [
      "refuses a network interface without RegionId",
      { NetworkInterfaceId: "eni-1", SecurityGroupId: "sg-db" },
      400,
      "MissingParameter.RegionId",
    ],
  ];
  test.each(joinRefusals)("Join %s", async (_title, query, status, code) => {
    const before = emulator.state();
    const err = await failure(call("JoinSecurityGroup", query));
    expect([err.statusCode, err.code]).toEqual([status, code]);
    expect(emulator.state()).toEqual(before);
  });

  test("an error body carries RequestId, HostId, Code, Message and a Recommend URL with the code", async () => {
    const err = await failure(
      call("LeaveSecurityGroup", { InstanceId: "i-single", SecurityGroupId: "sg-base" }),
    );
    expect(Object.keys(err.data).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(err.data.Recommend).toContain("InstanceLastSecurityGroup");
    expect(err.data.Message).toContain("i-single");
  });

  test("unknown actions are InvalidAction.NotFound (404)", async () => {
    const err = await failure(call("RunInstances", { RegionId: "cn-hangzhou" }));
    expect([err.statusCode, err.code]).toEqual([404, "InvalidAction.NotFound"]);
  });

  test("concurrent changes to one instance are applied one after another", async () => {
    const joins = ["sg-db", "sg-g4", "sg-g5"].map((g) =>
      call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: g }),
    );
    const leaves = [call("LeaveSecurityGroup", { InstanceId: "i-stopped", SecurityGroupId: "sg-web" })];
    await Promise.all([...joins, ...leaves]);
    expect([...(groupsOf("i-run") ?? [])].sort()).toEqual(["sg-base", "sg-db", "sg-g4", "sg-g5", "sg-web"]);
    expect(groupsOf("i-stopped")).toEqual(["sg-base"]);
  });
});
