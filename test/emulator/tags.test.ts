import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../src/emulator/server";
import { EmulatorStateError, parseState } from "../../src/emulator/state";
import { failure, sdkClient, type SdkCall } from "./sdk";

const REGION = { RegionId: "cn-hangzhou" };

function taggedWorld(): EmulatorSeed {
  const instance = (instanceId: string, tags: { key: string; value?: string }[], vpcId = "vpc-a") => ({
    instanceId,
    vpcId,
    securityGroupIds: [vpcId === "vpc-a" ? "sg-a" : "sg-b"],
    tags,
  });
  return {
    securityGroups: [
      { securityGroupId: "sg-a", vpcId: "vpc-a" },
      { securityGroupId: "sg-b", vpcId: "vpc-b" },
    ],
    instances: [
      instance("i-prod-web", [
        { key: "env", value: "prod" },
        { key: "team", value: "web" },
      ]),
      instance("i-prod-db", [
        { key: "env", value: "prod" },
        { key: "team", value: "db" },
      ]),
      instance("i-test-web", [
        { key: "env", value: "test" },
        { key: "team", value: "web" },
      ]),
      instance("i-bare", []),
      instance("i-empty-value", [{ key: "owner" }]),
      instance("i-other-vpc", [{ key: "env", value: "prod" }], "vpc-b"),
    ],
  };
}

describe("instance tags", () => {
  let emulator: RunningEmulator;
  let call: SdkCall;

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: taggedWorld() });
    call = sdkClient(emulator.url);
  });
  afterAll(() => emulator.close());

  async function idsOf(query: Record<string, string>): Promise<string[]> {
    const body = (await call("DescribeInstances", { ...REGION, MaxResults: "100", ...query })) as {
      Instances: { Instance: { InstanceId: string }[] };
    };
    return body.Instances.Instance.map((i) => i.InstanceId);
  }

  test("DescribeInstances serves them as Tags.Tag[] with TagKey and TagValue, in seed order", async () => {
    const body = (await call("DescribeInstances", { ...REGION, InstanceIds: '["i-prod-web","i-bare"]' })) as {
      Instances: { Instance: { InstanceId: string; Tags: unknown }[] };
    };
    expect(body.Instances.Instance.map((i) => [i.InstanceId, i.Tags])).toEqual([
      [
        "i-prod-web",
        {
          Tag: [
            { TagKey: "env", TagValue: "prod" },
            { TagKey: "team", TagValue: "web" },
          ],
        },
      ],
      ["i-bare", { Tag: [] }],
    ]);
  });

  test("Tag.N.Key with Tag.N.Value matches that pair; several pairs must all match", async () => {
    expect(await idsOf({ "Tag.1.Key": "env", "Tag.1.Value": "prod" })).toEqual([
      "i-prod-web",
      "i-prod-db",
      "i-other-vpc",
    ]);
    expect(
      await idsOf({ "Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "team", "Tag.2.Value": "web" }),
    ).toEqual(["i-prod-web"]);
    expect(await idsOf({ "Tag.1.Key": "env", "Tag.1.Value": "staging" })).toEqual([]);
    // Keys and values are case-sensitive.
    expect(await idsOf({ "Tag.1.Key": "Env", "Tag.1.Value": "prod" })).toEqual([]);
  });

  test("a key without a value matches any value of that key, the empty one included", async () => {
    expect(await idsOf({ "Tag.1.Key": "team" })).toEqual(["i-prod-web", "i-prod-db", "i-test-web"]);
    expect(await idsOf({ "Tag.1.Key": "owner" })).toEqual(["i-empty-value"]);
    expect(await idsOf({ "Tag.1.Key": "owner", "Tag.1.Value": "" })).toEqual(["i-empty-value"]);
  });

  test("tag filters AND with VpcId, SecurityGroupId and InstanceIds, and page like any filter", async () => {
    expect(await idsOf({ VpcId: "vpc-a", "Tag.1.Key": "env", "Tag.1.Value": "prod" })).toEqual([
      "i-prod-web",
      "i-prod-db",
    ]);
    expect(await idsOf({ SecurityGroupId: "sg-b", "Tag.1.Key": "env", "Tag.1.Value": "prod" })).toEqual([
      "i-other-vpc",
    ]);
    expect(
      await idsOf({ InstanceIds: '["i-prod-db","i-test-web"]', "Tag.1.Key": "team", "Tag.1.Value": "web" }),
    ).toEqual(["i-test-web"]);
    const first = (await call("DescribeInstances", {
      ...REGION,
      MaxResults: "2",
      "Tag.1.Key": "env",
    })) as { Instances: { Instance: { InstanceId: string }[] }; NextToken: string };
    expect(first.Instances.Instance.map((i) => i.InstanceId)).toEqual(["i-prod-web", "i-prod-db"]);
    const second = (await call("DescribeInstances", {
      ...REGION,
      MaxResults: "2",
      NextToken: first.NextToken,
      "Tag.1.Key": "env",
    })) as { Instances: { Instance: { InstanceId: string }[] }; NextToken: string };
    expect(second.Instances.Instance.map((i) => i.InstanceId)).toEqual(["i-test-web", "i-other-vpc"]);
    expect(second.NextToken).toBe("");
  });

  test.each([
    ["a Tag.N.Value without its key", { "Tag.3.Value": "prod" }, "MissingParameter.Tag.3.Key"],
    ["N above 20", { "Tag.21.Key": "env" }, "InvalidParameter.Tag"],
    ["N of 0", { "Tag.0.Key": "env" }, "InvalidParameter.Tag"],
    ["N with a leading zero", { "Tag.01.Key": "env" }, "InvalidParameter.Tag"],
  ])("DescribeInstances refuses %s (400)", async (_title, query, code) => {
    const err = await failure(call("DescribeInstances", { ...REGION, ...query }));
    expect([err.statusCode, err.code]).toEqual([400, code]);
  });

  test("the seed is validated like ECS tags: non-empty unique keys, at most 20, value defaults to empty", () => {
    const base = { securityGroups: [{ securityGroupId: "sg-a" }] };
    const one = (tags: unknown) => ({ ...base, instances: [{ instanceId: "i-a", tags }] });
    expect(parseState(one([{ key: "env" }])).instances[0].tags).toEqual([{ key: "env", value: "" }]);
    const problems = (seed: unknown) => {
      try {
        parseState(seed);
      } catch (err) {
        return (err as EmulatorStateError).problems;
      }
      return [];
    };
    expect(problems(one([{ key: "" }]))).toEqual(["instances[0].tags[0].key: must not be empty"]);
    expect(problems(one([{ key: "env" }, { key: "env", value: "x" }]))).toEqual([
      'instances[0].tags[1].key: "env" is used more than once',
    ]);
    expect(problems(one([{ key: "env", colour: "red" }]))).toEqual([
      "instances[0].tags[0].colour: unknown field (allowed: key, value)",
    ]);
    expect(problems(one(Array.from({ length: 21 }, (_, k) => ({ key: `k${k}` }))))).toEqual([
      "instances[0].tags: has 21 tags; ECS allows at most 20",
    ]);
    expect(problems(one([{ key: "k".repeat(129) }]))).toEqual([
      "instances[0].tags[0].key: is longer than 128 characters",
    ]);
  });

  test("tags survive GET and PUT of /_emulator/state", async () => {
    const res = await fetch(`${emulator.url}/_emulator/state`);
    const state = (await res.json()) as { instances: { instanceId: string; tags: unknown }[] };
    expect(state.instances.find((i) => i.instanceId === "i-empty-value")?.tags).toEqual([
      { key: "owner", value: "" },
    ]);
    const put = await fetch(`${emulator.url}/_emulator/state`, {
      method: "PUT",
      body: JSON.stringify(state),
    });
    expect(put.status).toBe(200);
    expect(emulator.state()).toEqual(state);
  });
});
