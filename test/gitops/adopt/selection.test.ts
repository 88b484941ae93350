import {
  checkSelection,
  describeSelection,
  GitopsInputError,
  instanceQueries,
  parseTagOption,
  readEstate,
} from "../../../src/gitops";
import { eni, FakeEstate, group, instance, selection } from "./fixtures";

const none = { instanceIds: [], networkInterfaceIds: [], tags: [], securityGroupIds: [] };

describe("what adopt selects", () => {
  test("at least one selector is required, and the error says which ones there are", () => {
    expect(() => checkSelection(none)).toThrow(GitopsInputError);
    expect(() => checkSelection(none)).toThrow(
      "say which instances to adopt: give --instance-id ID (repeatable), or filters --vpc-id ID, --tag KEY=VALUE, --security-group-id ID; or ENIs with --network-interface-id ID (repeatable)",
    );
    for (const ok of [
      { ...none, instanceIds: ["i-1"] },
      { ...none, networkInterfaceIds: ["eni-1"] },
      { ...none, vpcId: "vpc-1" },
      { ...none, tags: [{ key: "env" }] },
      { ...none, securityGroupIds: ["sg-1"] },
    ]) {
      expect(() => checkSelection(ok)).not.toThrow();
    }
  });

  test.each([
    [{ ...none, instanceIds: ["i 1"] }, "--instance-id i 1 is not an ECS ID: it contains whitespace"],
    [{ ...none, vpcId: "" }, '--vpc-id "" is not an ECS ID: it is empty'],
    [{ ...none, securityGroupIds: ["sg;rm"] }, "--security-group-id sg;rm is not an ECS ID"],
    [
      { ...none, tags: Array.from({ length: 21 }, (_, k) => ({ key: `k${k}` })) },
      "21 --tag filters: ECS matches at most 20 tags in one query",
    ],
  ])("refuses %j", (s, message) => {
    expect(() => checkSelection(s)).toThrow(message);
  });

  test("--tag KEY=VALUE splits at the first =; KEY alone is any value; empty key or value is refused", () => {
    expect(parseTagOption("env=prod")).toEqual({ key: "env", value: "prod" });
    expect(parseTagOption("query=a=b")).toEqual({ key: "query", value: "a=b" });
    expect(parseTagOption("owner")).toEqual({ key: "owner" });
    expect(() => parseTagOption("=prod")).toThrow("--tag =prod: expected KEY=VALUE (or KEY for any value)");
    expect(() => parseTagOption("env=")).toThrow(
      "--tag env=: the value is empty; give --tag env to match any value of the key",
    );
    // Nothing typed can break a line of the message.
    expect(() => parseTagOption("=a\nb")).toThrow('--tag "=a\\nb": expected KEY=VALUE');
  });

  test("one DescribeInstances query for filters with at most one group; one per group otherwise; IDs batch the rest", () => {
    const tags = [{ key: "env", value: "prod" }];
    expect(instanceQueries({ ...none, vpcId: "vpc-1", tags })).toEqual([{ vpcId: "vpc-1", tags }]);
    expect(instanceQueries({ ...none, securityGroupIds: ["sg-a"] })).toEqual([{ securityGroupId: "sg-a" }]);
    expect(instanceQueries({ ...none, vpcId: "vpc-1", securityGroupIds: ["sg-b", "sg-a", "sg-b"] })).toEqual([
      { vpcId: "vpc-1", securityGroupId: "sg-a" },
      { vpcId: "vpc-1", securityGroupId: "sg-b" },
    ]);
    expect(
      instanceQueries({ ...none, instanceIds: ["i-2", "i-1", "i-2"], securityGroupIds: ["sg-a", "sg-b"] }),
    ).toEqual([{ instanceIds: ["i-1", "i-2"] }]);
    expect(instanceQueries({ ...none, instanceIds: ["i-1"], securityGroupIds: ["sg-a"] })).toEqual([
      { instanceIds: ["i-1"], securityGroupId: "sg-a" },
    ]);
  });

  test("the selection as options, for the header, in a stable order", () => {
    expect(
      describeSelection({
        instanceIds: ["i-2", "i-1"],
        vpcId: "vpc-1",
        tags: [{ key: "env", value: "prod" }, { key: "owner" }, { key: "note", value: "two words\n" }],
        securityGroupIds: ["sg-b", "sg-a"],
        networkInterfaceIds: ["eni-2", "eni-1"],
      }),
    ).toBe(
      '--instance-id i-1 --instance-id i-2 --vpc-id vpc-1 --tag env=prod --tag owner --tag "note=two words\\n" --security-group-id sg-a --security-group-id sg-b --network-interface-id eni-1 --network-interface-id eni-2',
    );
  });
});

describe("readEstate", () => {
  const all = [
    { ...instance("i-1", ["sg-a"]), tags: { env: "prod" } },
    { ...instance("i-2", ["sg-a", "sg-b"]), tags: { env: "test" } },
    { ...instance("i-3", ["sg-b"]), tags: { env: "prod" } },
    { ...instance("i-4", ["sg-c"], { vpcId: "vpc-2" }), tags: { env: "prod" } },
  ];
  const groups = [group("sg-a", "web"), group("sg-b"), group("sg-c")];

  test("filters are ANDed; instances come sorted; groups of the instances found are described in one pass", async () => {
    const ecs = new FakeEstate(all, groups);
    const estate = await readEstate(ecs, selection({ tags: [{ key: "env", value: "prod" }] }));
    expect(estate.instances.map((i) => i.instanceId)).toEqual(["i-1", "i-3"]);
    expect(ecs.calls).toEqual([
      { action: "findInstances", detail: { vpcId: "vpc-1", tags: [{ key: "env", value: "prod" }] } },
      { action: "DescribeSecurityGroups", detail: ["sg-a", "sg-b"] },
    ]);
    expect(estate.groups.get("sg-a")?.name).toBe("web");
  });

  test("several groups: instances in any of them, each once; a group that does not exist is reported", async () => {
    const ecs = new FakeEstate(all, groups);
    const estate = await readEstate(ecs, { ...none, securityGroupIds: ["sg-b", "sg-a", "sg-gone"] });
    expect(estate.instances.map((i) => i.instanceId)).toEqual(["i-1", "i-2", "i-3"]);
    expect(estate.groupsNotFound).toEqual(["sg-gone"]);
    expect(ecs.calls.filter((c) => c.action === "findInstances")).toHaveLength(3);
  });

  test("instance IDs with several groups: one query, the groups matched on what it found; missing IDs reported", async () => {
    const ecs = new FakeEstate(all, groups);
    const estate = await readEstate(ecs, {
      ...none,
      instanceIds: ["i-3", "i-1", "i-4", "i-9"],
      securityGroupIds: ["sg-a", "sg-b"],
    });
    expect(estate.instances.map((i) => i.instanceId)).toEqual(["i-1", "i-3"]);
    expect(estate.instancesNotFound).toEqual(["i-4", "i-9"]);
    expect(ecs.calls.filter((c) => c.action === "findInstances")).toHaveLength(1);
  });

  test("ENIs alone: no instance query, one DescribeNetworkInterfaces pass, the hosts of secondary ENIs described once, their groups described; missing ENIs reported", async () => {
    const ecs = new FakeEstate(all, groups, [
      eni("eni-2", ["sg-b"], { instanceId: "i-2" }),
      eni("eni-1", ["sg-a", "sg-gone"], { instanceId: null }),
      eni("eni-3", ["sg-b"], { instanceId: "i-2" }),
      // A primary ENI is left out of the adoption: its instance is not described for it.
      eni("eni-p", ["sg-b"], { instanceId: "i-3", type: "Primary" }),
      // Its instance is gone: no host, and no caution from one.
      eni("eni-4", ["sg-a"], { instanceId: "i-gone" }),
    ]);
    const estate = await readEstate(ecs, {
      ...none,
      networkInterfaceIds: ["eni-2", "eni-9", "eni-1", "eni-2", "eni-3", "eni-p", "eni-4"],
    });
    expect(estate.instances).toEqual([]);
    expect(estate.networkInterfaces.map((e) => e.networkInterfaceId)).toEqual([
      "eni-1",
      "eni-2",
      "eni-3",
      "eni-4",
      "eni-p",
    ]);
    expect(estate.networkInterfacesNotFound).toEqual(["eni-9"]);
    expect([...estate.networkInterfaceHosts.keys()]).toEqual(["i-2"]);
    expect(ecs.calls).toEqual([
      { action: "DescribeNetworkInterfaces", detail: ["eni-1", "eni-2", "eni-3", "eni-4", "eni-9", "eni-p"] },
      { action: "DescribeInstances", detail: ["i-2", "i-gone"] },
      { action: "DescribeSecurityGroups", detail: ["sg-a", "sg-b", "sg-gone"] },
    ]);
  });

  test("ENIs with instance selectors: adopted in addition; a selected host is not described again; one group pass for both", async () => {
    const ecs = new FakeEstate(all, groups, [eni("eni-1", ["sg-z"], { instanceId: "i-1" })]);
    const estate = await readEstate(ecs, { ...none, instanceIds: ["i-1"], networkInterfaceIds: ["eni-1"] });
    expect(estate.instances.map((i) => i.instanceId)).toEqual(["i-1"]);
    expect(estate.networkInterfaces.map((e) => e.networkInterfaceId)).toEqual(["eni-1"]);
    expect(estate.networkInterfaceHosts.get("i-1")?.instanceId).toBe("i-1");
    expect(ecs.calls.map((c) => c.action)).toEqual([
      "findInstances",
      "DescribeNetworkInterfaces",
      "DescribeSecurityGroups",
    ]);
  });

  test("the ENIs of --exclude-state are described in the same DescribeNetworkInterfaces pass (a malformed one is not sent), and are not adopted", async () => {
    const ecs = new FakeEstate(all, groups, [
      eni("eni-1", ["sg-a"], { instanceId: null }),
      eni("eni-p1", ["sg-a"], { instanceId: "i-1", type: "Primary" }),
    ]);
    const estate = await readEstate(ecs, { ...none, networkInterfaceIds: ["eni-1"] }, [
      "eni-p1",
      "eni-gone",
      "eni bad",
    ]);
    expect(estate.networkInterfaces.map((e) => e.networkInterfaceId)).toEqual(["eni-1"]);
    expect(estate.networkInterfacesNotFound).toEqual([]);
    expect([...estate.managedNetworkInterfaces.keys()]).toEqual(["eni-p1"]);
    expect(ecs.calls).toEqual([
      { action: "DescribeNetworkInterfaces", detail: ["eni-1", "eni-gone", "eni-p1"] },
      { action: "DescribeSecurityGroups", detail: ["sg-a"] },
    ]);
  });

  test("no instance found: no group call", async () => {
    const ecs = new FakeEstate(all, groups);
    const estate = await readEstate(ecs, selection({ vpcId: "vpc-none" }));
    expect(estate.instances).toEqual([]);
    expect(ecs.calls.map((c) => c.action)).toEqual(["findInstances"]);
  });
});
