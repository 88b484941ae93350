/**
 * The ECS client against the emulator over real HTTP, with real signatures
 * (ACS3-HMAC-SHA256 and the v2 HMAC-SHA1 RPC signature).
 */
import type { EmulatorSeed } from "../../src/emulator/server";
import type { EcsError } from "../../src/ecs/errors";
import { EmulatorHarness, KEY, STS_KEY, everythingIn, rejectionOf } from "./emulator-helpers";

const GROUPS = ["sg-base", "sg-web", "sg-db", "sg-g1", "sg-g2", "sg-g3"];

const seed: EmulatorSeed = {
  regionId: "cn-hangzhou",
  accessKeys: [KEY, STS_KEY],
  maxSecurityGroupsPerInstance: 5,
  securityGroups: [
    ...GROUPS.map((securityGroupId) => ({ securityGroupId, vpcId: "vpc-main", type: "normal" as const })),
    { securityGroupId: "sg-other-vpc", vpcId: "vpc-other", type: "normal" },
    { securityGroupId: "sg-ent", vpcId: "vpc-main", type: "enterprise" },
  ],
  instances: [
    {
      instanceId: "i-web1",
      vpcId: "vpc-main",
      status: "Running",
      securityGroupIds: ["sg-base", "sg-web"],
      lockReasons: [],
    },
    {
      instanceId: "i-single",
      vpcId: "vpc-main",
      status: "Stopped",
      securityGroupIds: ["sg-base"],
      lockReasons: [],
    },
    {
      instanceId: "i-starting",
      vpcId: "vpc-main",
      status: "Starting",
      securityGroupIds: ["sg-base", "sg-web"],
      lockReasons: [],
    },
    {
      instanceId: "i-locked",
      vpcId: "vpc-main",
      status: "Running",
      securityGroupIds: ["sg-base", "sg-web"],
      lockReasons: ["security"],
    },
    {
      instanceId: "i-full",
      vpcId: "vpc-main",
      status: "Running",
      securityGroupIds: ["sg-base", "sg-web", "sg-db", "sg-g1", "sg-g2"],
      lockReasons: [],
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

describe.each(["ACS3-HMAC-SHA256", "v2"] as const)("with the %s signature", (signatureAlgorithm) => {
  const client = (overrides = {}) => harness.client({ signatureAlgorithm, ...overrides });

  describe("reads", () => {
    it("describes 250 instances in 3 DescribeInstances calls of at most 100 IDs", async () => {
      const bulk = Array.from({ length: 250 }, (_, i) => `i-bulk${String(i).padStart(3, "0")}`);
      await harness.reset({
        ...seed,
        instances: bulk.map((instanceId) => ({
          instanceId,
          vpcId: "vpc-main",
          status: "Running",
          securityGroupIds: ["sg-base"],
        })),
      });
      const found = await client().describeInstances([...bulk, "i-unknown"]);
      expect(found.size).toBe(250);
      expect(found.get("i-bulk007")).toMatchObject({
        status: "Running",
        vpcId: "vpc-main",
        securityGroupIds: ["sg-base"],
      });
      const calls = await harness.calls();
      expect(calls.map((c) => c.action)).toEqual([
        "DescribeInstances",
        "DescribeInstances",
        "DescribeInstances",
      ]);
      expect(calls.map((c) => (JSON.parse(c.params.InstanceIds) as string[]).length)).toEqual([100, 100, 51]);
      expect(calls.every((c) => c.httpStatus === 200)).toBe(true);
    });

    it("pages with MaxResults and NextToken", async () => {
      const found = await client({ pageSize: 2 }).describeInstances([
        "i-web1",
        "i-single",
        "i-starting",
        "i-locked",
        "i-full",
      ]);
      expect([...found.keys()].sort()).toEqual(["i-full", "i-locked", "i-single", "i-starting", "i-web1"]);
      expect(found.get("i-locked")?.lockReasons).toEqual(["security"]);
      const calls = await harness.calls();
      expect(calls).toHaveLength(3);
      expect(calls.map((c) => c.params.MaxResults)).toEqual(["2", "2", "2"]);
      expect(calls[0].params.NextToken).toBeUndefined();
      expect(calls[1].params.NextToken).toBeTruthy();
    });

    it("describes security groups, leaving unknown IDs out", async () => {
      const found = await client().describeSecurityGroups(["sg-ent", "sg-other-vpc", "sg-nope"]);
      expect(found.get("sg-ent")).toMatchObject({
        securityGroupId: "sg-ent",
        vpcId: "vpc-main",
        type: "enterprise",
      });
      expect(found.get("sg-other-vpc")).toMatchObject({ vpcId: "vpc-other", type: "normal" });
      expect(found.has("sg-nope")).toBe(false);
    });
  });

  describe("LeaveSecurityGroup", () => {
    it("leaves a group", async () => {
      const result = await client().leaveSecurityGroup("i-web1", "sg-web");
      expect(result).toMatchObject({ alreadyDone: false, attempts: 1 });
      expect(result.requestId).toBeTruthy();
      expect(await harness.groupsOf("i-web1")).toEqual(["sg-base"]);
    });

    it.each([
      ["IncorrectInstanceStatus", 403, "i-starting", "sg-web"],
      ["InstanceLastSecurityGroup", 403, "i-single", "sg-base"],
      ["InstanceLockedForSecurity", 403, "i-locked", "sg-web"],
    ])("refuses with %s (HTTP %s), without retrying", async (code, status, instanceId, groupId) => {
      const e = (await rejectionOf(client().leaveSecurityGroup(instanceId, groupId))) as unknown as EcsError;
      expect(e).toMatchObject({
        code,
        httpStatus: status,
        category: "refusal",
        attempts: 1,
        action: "LeaveSecurityGroup",
      });
      expect(e.requestId).toBeTruthy();
      expect(e.message).toMatch(
        new RegExp(
          `^${code.replace(".", "\\.")}: .+ \\(action LeaveSecurityGroup, request \\S+, after 1 attempt\\)$`,
        ),
      );
      expect(await harness.calls()).toHaveLength(1);
    });

    it("treats a group the instance is not in as already done", async () => {
      expect(await client().leaveSecurityGroup("i-web1", "sg-db")).toMatchObject({
        alreadyDone: true,
        attempts: 1,
      });
      const [call] = await harness.calls();
      expect(["InvalidSecurityGroupAssociation.NotFound", "InstanceNotInSecurityGroup"]).toContain(call.code);
    });

    it("treats an instance that is gone as already done", async () => {
      expect(await client().leaveSecurityGroup("i-gone", "sg-web")).toMatchObject({ alreadyDone: true });
      expect((await harness.calls())[0]).toMatchObject({
        code: "InvalidInstanceId.NotFound",
        httpStatus: 404,
      });
    });

    it("treats a group that is gone as already done", async () => {
      expect(await client().leaveSecurityGroup("i-web1", "sg-gone")).toMatchObject({ alreadyDone: true });
      expect((await harness.calls())[0]).toMatchObject({
        code: "InvalidSecurityGroupId.NotFound",
        httpStatus: 404,
      });
    });
  });

  describe("JoinSecurityGroup", () => {
    it("joins a group", async () => {
      expect(await client().joinSecurityGroup("i-web1", "sg-db")).toMatchObject({
        alreadyDone: false,
        attempts: 1,
      });
      expect(await harness.groupsOf("i-web1")).toEqual(["sg-base", "sg-web", "sg-db"]);
    });

    it("treats a group the instance is already in as already done", async () => {
      expect(await client().joinSecurityGroup("i-web1", "sg-web")).toMatchObject({
        alreadyDone: true,
        attempts: 1,
      });
      expect((await harness.calls())[0].code).toBe("InvalidInstanceId.AlreadyExists");
    });

    it.each([
      ["InvalidInstanceId.NotFound", "i-gone", "sg-web"],
      ["InvalidSecurityGroupId.NotFound", "i-web1", "sg-gone"],
      ["InvalidInstanceId.Mismatch", "i-web1", "sg-other-vpc"],
      ["InvalidOperation.MultiGroupType", "i-web1", "sg-ent"],
      ["InstanceSecurityGroupLimitExceeded", "i-full", "sg-g3"],
      ["IncorrectInstanceStatus", "i-starting", "sg-db"],
      ["InstanceLockedForSecurity", "i-locked", "sg-db"],
    ])("refuses with %s", async (code, instanceId, groupId) => {
      const e = (await rejectionOf(client().joinSecurityGroup(instanceId, groupId))) as unknown as EcsError;
      expect(e).toMatchObject({ code, category: "refusal", attempts: 1, action: "JoinSecurityGroup" });
      expect(await harness.calls()).toHaveLength(1);
    });
  });

  describe("credentials", () => {
    it("signs with an STS token", async () => {
      const c = client({ credentials: STS_KEY });
      expect((await c.describeInstances(["i-web1"])).size).toBe(1);
      expect(await c.joinSecurityGroup("i-web1", "sg-db")).toMatchObject({ alreadyDone: false });
    });

    it("fails a wrong secret with SignatureDoesNotMatch, category other, no retry and no secret in sight", async () => {
      const wrong = { ...STS_KEY, accessKeySecret: "WRONG-secret-Yy9/+=" };
      const e = (await rejectionOf(
        client({ credentials: wrong }).joinSecurityGroup("i-web1", "sg-db"),
      )) as unknown as EcsError;
      expect(e).toMatchObject({
        code: "SignatureDoesNotMatch",
        category: "other",
        attempts: 1,
        httpStatus: 400,
      });
      expect(e.requestId).toBeTruthy();
      const all = everythingIn(e);
      for (const secret of [wrong.accessKeySecret, STS_KEY.accessKeySecret, STS_KEY.securityToken]) {
        expect(all).not.toContain(secret);
        expect(all).not.toContain(encodeURIComponent(secret));
      }
      expect(all).not.toMatch(/Signature=[^*]/);
      expect(await harness.calls()).toHaveLength(1);
      expect(await harness.groupsOf("i-web1")).toEqual(["sg-base", "sg-web"]);
    });

    it("fails an unknown access key as other, without retrying", async () => {
      const e = (await rejectionOf(
        client({ credentials: { accessKeyId: "nobody", accessKeySecret: "x-secret" } }).describeInstances([
          "i-web1",
        ]),
      )) as unknown as EcsError;
      expect(e).toMatchObject({ code: "InvalidAccessKeyId.NotFound", category: "other", attempts: 1 });
      expect(everythingIn(e)).not.toContain("x-secret");
    });
  });

  it("converges under injected faults, with no duplicate effect", async () => {
    const instances = ["i-c1", "i-c2", "i-c3"];
    await harness.reset({
      ...seed,
      instances: instances.map((instanceId) => ({
        instanceId,
        vpcId: "vpc-main",
        status: "Running",
        securityGroupIds: ["sg-base"],
      })),
    });
    await harness.admin("PUT", "faults", {
      throttleRate: 0.3,
      serverErrorRate: 0.05,
      lostResponseRate: 0.1,
      seed: 7,
    });
    const c = client({ maxRetries: 12 });

    type Op = ["join" | "leave", string, string];
    const ops: Op[] = [];
    for (const i of instances) {
      ops.push(["join", i, "sg-web"], ["join", i, "sg-db"], ["join", i, "sg-g1"], ["leave", i, "sg-base"]);
      ops.push(["join", i, "sg-web"], ["leave", i, "sg-db"], ["join", i, "sg-g2"], ["leave", i, "sg-g1"]);
    }
    const intended = new Map(instances.map((i) => [i, new Set(["sg-base"])]));
    const results = [];
    for (const [verb, instanceId, groupId] of ops) {
      const groups = intended.get(instanceId) ?? new Set<string>();
      // Already so before the call: a join of a group it is in, a leave of one it is not in.
      const noOp = verb === "join" ? groups.has(groupId) : !groups.has(groupId);
      const result =
        verb === "join"
          ? await c.joinSecurityGroup(instanceId, groupId)
          : await c.leaveSecurityGroup(instanceId, groupId);
      results.push({ noOp, ...result });
      if (verb === "join") groups.add(groupId);
      else groups.delete(groupId);
    }
    await harness.admin("DELETE", "faults");

    for (const i of instances) {
      const groups = await harness.groupsOf(i);
      expect(new Set(groups).size).toBe(groups.length);
      expect([...groups].sort()).toEqual([...(intended.get(i) ?? [])].sort());
    }
    // The faults really happened, and were retried.
    const calls = await harness.calls();
    expect(calls.some((call) => call.code?.startsWith("Throttling"))).toBe(true);
    expect(calls.some((call) => call.httpStatus >= 500)).toBe(true);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    // Real no-ops are reported as such; a real change reported "already done" can only be
    // the retry of a call whose response was lost, and some were.
    expect(results.filter((r) => r.noOp).every((r) => r.alreadyDone)).toBe(true);
    const lostThenDone = results.filter((r) => !r.noOp && r.alreadyDone);
    expect(lostThenDone.every((r) => r.attempts > 1)).toBe(true);
    expect(lostThenDone.length).toBeGreaterThan(0);
  });
});
