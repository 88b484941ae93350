import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultState } from "../../src/emulator/state";
import { EmulatorStateError, loadSeedFile, parseState, startEmulator } from "../../src/emulator/server";

const problemsOf = (input: unknown): readonly string[] => {
  try {
    parseState(input);
  } catch (err) {
    if (err instanceof EmulatorStateError) return err.problems;
    throw err;
  }
  throw new Error("expected the seed to be refused");
};

const group = (securityGroupId: string, extra: object = {}) => ({
  securityGroupId,
  vpcId: "vpc-a",
  ...extra,
});
const instance = (instanceId: string, securityGroupIds: string[], extra: object = {}) => ({
  instanceId,
  vpcId: "vpc-a",
  securityGroupIds,
  ...extra,
});

describe("seeds", () => {
  test("with no seed the world is cn-hangzhou, key test/test, limit 5, nothing else", () => {
    expect(defaultState()).toEqual({
      regionId: "cn-hangzhou",
      accessKeys: [{ accessKeyId: "test", accessKeySecret: "test" }],
      maxSecurityGroupsPerInstance: 5,
      securityGroups: [],
      instances: [],
      networkInterfaces: [],
    });
  });

  test("fills in defaults: Running, no locks, normal groups, names = IDs", () => {
    const state = parseState({ securityGroups: [group("sg-a")], instances: [instance("i-a", ["sg-a"])] });
    expect(state.instances[0]).toMatchObject({
      status: "Running",
      lockReasons: [],
      instanceName: "i-a",
      zoneId: "cn-hangzhou-a",
    });
    expect(state.securityGroups[0]).toMatchObject({ type: "normal", name: "sg-a", description: "" });
  });

  test("a validated state is itself a valid seed (round trip)", () => {
    const state = parseState({
      securityGroups: [group("sg-a")],
      instances: [instance("i-a", ["sg-a"], { status: "Stopped" })],
    });
    expect(parseState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  test.each([
    [
      "a misspelt status",
      { instances: [instance("i-a", [], { status: "Runing" })] },
      'instances[0].status: "Runing" is not one of Pending, Running, Starting, Stopping, Stopped',
    ],
    [
      "an unknown lock reason",
      { instances: [instance("i-a", [], { lockReasons: ["securty"] })] },
      'instances[0].lockReasons[0]: "securty" is not one of financial, security, recycling, dedicatedhostfinancial, refunded',
    ],
    [
      "a group type that does not exist",
      { securityGroups: [group("sg-a", { type: "advanced" })] },
      'securityGroups[0].type: "advanced" is not one of normal, enterprise',
    ],
    [
      "a malformed instance ID",
      { instances: [instance("i a", [])] },
      'instances[0].instanceId: "i a" is not a valid ID: it contains whitespace',
    ],
    ["a missing instance ID", { instances: [{ status: "Running" }] }, "instances[0].instanceId: is required"],
    [
      "a duplicate instance",
      { instances: [instance("i-a", []), instance("i-a", [])] },
      'instances[1].instanceId: "i-a" is used more than once',
    ],
    [
      "a membership in an unknown group",
      { instances: [instance("i-a", ["sg-x"])] },
      "instances[0].securityGroupIds[0]: sg-x is not in securityGroups",
    ],
    [
      "a membership in another VPC",
      { securityGroups: [group("sg-b", { vpcId: "vpc-b" })], instances: [instance("i-a", ["sg-b"])] },
      "instances[0].securityGroupIds[0]: sg-b is in vpc-b, but i-a is in vpc-a",
    ],
    [
      "normal and enterprise groups mixed",
      {
        securityGroups: [group("sg-a"), group("sg-e", { type: "enterprise" })],
        instances: [instance("i-a", ["sg-a", "sg-e"])],
      },
      "instances[0].securityGroupIds: mixes normal and enterprise groups, which ECS does not allow",
    ],
    [
      "more groups than the limit",
      {
        maxSecurityGroupsPerInstance: 1,
        securityGroups: [group("sg-a"), group("sg-b")],
        instances: [instance("i-a", ["sg-a", "sg-b"])],
      },
      "instances[0].securityGroupIds: has 2 groups, more than maxSecurityGroupsPerInstance (1)",
    ],
    [
      "an unknown field",
      { instances: [instance("i-a", [], { state: "Running" })] },
      "instances[0].state: unknown field (allowed: instanceId, vpcId, status, securityGroupIds, lockReasons, instanceName, zoneId, vSwitchId, privateIpAddresses, tags)",
    ],
    [
      "an empty key list",
      { accessKeys: [] },
      "accessKeys: must list at least one key (omit the field for the default test/test)",
    ],
    [
      "a limit that is not a positive integer",
      { maxSecurityGroupsPerInstance: 0 },
      "maxSecurityGroupsPerInstance: expected an integer from 1 to 1000, got number 0",
    ],
    ["a non-object", [], "(top level): expected an object, got an array"],
  ])("refuses %s, naming the path", (_title, seed, problem) => {
    expect(problemsOf(seed)).toContain(problem);
  });

  test("reports every problem at once", () => {
    expect(problemsOf({ instances: [instance("i-a", [], { status: "x" }), instance("", [])] })).toHaveLength(
      2,
    );
  });

  describe("loadSeedFile", () => {
    const dir = mkdtempSync(join(tmpdir(), "alisg-seed-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test("loads the bundled demo seed", () => {
      const state = loadSeedFile(join(__dirname, "../../examples/demo-seed.json"));
      expect(state.instances.map((i) => i.instanceId)).toEqual([
        "i-web1",
        "i-web2",
        "i-db1",
        "i-batch1",
        "i-locked1",
      ]);
      expect(new Set(state.instances.map((i) => i.status))).toEqual(
        new Set(["Running", "Stopped", "Stopping"]),
      );
      expect(state.instances.find((i) => i.lockReasons.includes("security"))?.instanceId).toBe("i-locked1");
      expect(state.instances.some((i) => i.securityGroupIds.length === 1)).toBe(true);
      expect(new Set(state.securityGroups.map((g) => g.vpcId)).size).toBe(2);
      expect(state.securityGroups.find((g) => g.type === "enterprise")?.securityGroupId).toBe("sg-ops");
      expect(state.accessKeys).toEqual([{ accessKeyId: "test", accessKeySecret: "test" }]);
    });

    test("names the file and the problem for invalid content", () => {
      const file = join(dir, "bad.json");
      writeFileSync(file, JSON.stringify({ instances: [{}, {}, { instanceId: "i-c", status: "Runing" }] }));
      expect(() => loadSeedFile(file)).toThrow(`seed file ${file} is invalid`);
      expect(() => loadSeedFile(file)).toThrow('instances[2].status: "Runing" is not one of');
    });

    test("names the file for bad JSON and for a missing file", () => {
      const file = join(dir, "broken.json");
      writeFileSync(file, "{ nope");
      expect(() => loadSeedFile(file)).toThrow(/seed file .*broken\.json is invalid:\n {2}- not valid JSON/);
      expect(() => loadSeedFile(join(dir, "missing.json"))).toThrow(
        /cannot read seed file .*missing\.json: ENOENT/,
      );
    });
  });

  test("startEmulator refuses an invalid seed before listening", async () => {
    await expect(
      startEmulator({ port: 0, seed: { instances: [{ instanceId: "i-a", status: "Gone" }] } as never }),
    ).rejects.toThrow('instances[0].status: "Gone" is not one of');
  });
});
