import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { actionMatches } from "../../src/emulator/ram";
import { failure, sdkClient } from "./sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, world } from "./world";

// RAM policies in miniature, called through the official SDK core.
describe("access keys with allowedActions (RAM)", () => {
  let emulator: RunningEmulator;
  const seed = () => ({
    ...world(),
    accessKeys: [
      { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
      { accessKeyId: "ro", accessKeySecret: "ro-secret", allowedActions: ["Describe*"] },
      { accessKeyId: "none", accessKeySecret: "none-secret", allowedActions: [] },
      {
        accessKeyId: "joiner",
        accessKeySecret: "joiner-secret",
        allowedActions: ["ecs:DescribeInstances", "ecs:JoinSecurityGroup"],
      },
    ],
  });
  const as = (id: string, secret: string) =>
    sdkClient(emulator.url, { accessKeyId: id, accessKeySecret: secret });

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: seed() });
  });
  afterAll(() => emulator.close());

  test("a key without the action gets HTTP 403 Forbidden.RAM naming ecs:<Action>, Describe* included", async () => {
    const f = await failure(as("none", "none-secret")("DescribeInstances", { RegionId: "cn-hangzhou" }));
    expect(f.statusCode).toBe(403);
    expect(f.code).toBe("Forbidden.RAM");
    expect(f.data.Message).toBe(
      "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    );
    expect(f.data.AccessDeniedDetail).toMatchObject({
      AuthAction: "ecs:DescribeInstances",
      AuthPrincipalType: "SubUser",
      AuthPrincipalDisplayName: "none",
      NoPermissionType: "ImplicitDeny",
    });
    expect(String(f.data.Recommend)).toContain("Forbidden.RAM");
  });

  test("a read-only key (Describe*) may describe but not join or leave; nothing changes", async () => {
    const ro = as("ro", "ro-secret");
    const before = emulator.state();
    const described = await ro("DescribeInstances", { RegionId: "cn-hangzhou" });
    expect(described.Instances).toBeDefined();
    for (const action of ["JoinSecurityGroup", "LeaveSecurityGroup"]) {
      const f = await failure(
        ro(action, { RegionId: "cn-hangzhou", InstanceId: "i-run", SecurityGroupId: "sg-base" }),
      );
      expect([f.statusCode, f.code]).toEqual([403, "Forbidden.RAM"]);
      expect((f.data.AccessDeniedDetail as { AuthAction: string }).AuthAction).toBe(`ecs:${action}`);
    }
    expect(emulator.state()).toEqual(before);
  });

  test("named actions with the ecs: prefix allow exactly those", async () => {
    const joiner = as("joiner", "joiner-secret");
    await joiner("DescribeInstances", { RegionId: "cn-hangzhou" });
    const f = await failure(joiner("DescribeSecurityGroups", { RegionId: "cn-hangzhou" }));
    expect(f.code).toBe("Forbidden.RAM");
  });

  test("a key without allowedActions may call everything", async () => {
    await as(ACCESS_KEY_ID, ACCESS_KEY_SECRET)("DescribeSecurityGroups", { RegionId: "cn-hangzhou" });
  });

  test("patterns: wildcards and the optional ecs: prefix", () => {
    expect(actionMatches("*", "LeaveSecurityGroup")).toBe(true);
    expect(actionMatches("ecs:*", "LeaveSecurityGroup")).toBe(true);
    expect(actionMatches("Describe*", "DescribeInstanceAttribute")).toBe(true);
    expect(actionMatches("Describe*", "JoinSecurityGroup")).toBe(false);
    expect(actionMatches("*SecurityGroup", "JoinSecurityGroup")).toBe(true);
    expect(actionMatches("DescribeInstances", "DescribeInstanceAttribute")).toBe(false);
  });

  test("a seed with a malformed action pattern is refused, naming the path", async () => {
    await expect(
      startEmulator({
        port: 0,
        seed: {
          accessKeys: [
            { accessKeyId: "k", accessKeySecret: "s", allowedActions: ["ecs:Describe Instances"] },
          ],
        },
      }),
    ).rejects.toThrow(/accessKeys\[0\]\.allowedActions\[0\]/);
  });
});
