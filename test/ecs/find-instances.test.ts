/**
 * `findInstances`: DescribeInstances by filters, paged and batched, errors
 * classified like every other call; against a scripted transport and against
 * the emulator over real HTTP with real signatures.
 */
import { EcsClient } from "../../src/ecs/client";
import { ApiCallError, EcsError } from "../../src/ecs/errors";
import type { RpcTransport } from "../../src/ecs/sdk-transport";
import type { EmulatorSeed } from "../../src/emulator/server";
import { EmulatorHarness, KEY } from "./emulator-helpers";

type Query = Record<string, string>;

function scripted(answer: (query: Query) => Record<string, unknown>): RpcTransport & { sent: Query[] } {
  const sent: Query[] = [];
  return {
    sent,
    call(action, query) {
      expect(action).toBe("DescribeInstances");
      sent.push({ ...query });
      return Promise.resolve(answer(query));
    },
  };
}

const item = (id: string) => ({
  InstanceId: id,
  Status: "Running",
  VpcAttributes: { VpcId: "vpc-1" },
  SecurityGroupIds: { SecurityGroupId: ["sg-a"] },
});

const client = (transport: RpcTransport, pageSize?: number) =>
  new EcsClient(
    { regionId: "cn-hangzhou", credentials: { accessKeyId: "a", accessKeySecret: "b" }, pageSize },
    { transport, sleep: () => Promise.resolve() },
  );

describe("findInstances against a scripted DescribeInstances", () => {
  test("sends VpcId, SecurityGroupId and Tag.N.Key / Tag.N.Value, without InstanceIds", async () => {
    const t = scripted(() => ({ Instances: { Instance: [item("i-1")] }, NextToken: "" }));
    const found = await client(t).findInstances({
      vpcId: "vpc-1",
      securityGroupId: "sg-a",
      tags: [{ key: "env", value: "prod" }, { key: "team" }],
    });
    expect(found.map((i) => i.instanceId)).toEqual(["i-1"]);
    expect(t.sent).toEqual([
      {
        RegionId: "cn-hangzhou",
        VpcId: "vpc-1",
        SecurityGroupId: "sg-a",
        "Tag.1.Key": "env",
        "Tag.1.Value": "prod",
        "Tag.2.Key": "team",
        MaxResults: "100",
      },
    ]);
  });

  test("follows NextToken; an instance answered twice (a list that moved between pages) is kept once", async () => {
    const pages: Record<string, { ids: string[]; next: string }> = {
      "": { ids: ["i-1", "i-2"], next: "t2" },
      t2: { ids: ["i-2", "i-3"], next: "t3" },
      t3: { ids: ["i-4"], next: "" },
    };
    const t = scripted((q) => {
      const page = pages[q.NextToken ?? ""];
      return { Instances: { Instance: page.ids.map(item) }, NextToken: page.next };
    });
    const found = await client(t, 2).findInstances({ vpcId: "vpc-1" });
    expect(found.map((i) => i.instanceId)).toEqual(["i-1", "i-2", "i-3", "i-4"]);
    expect(t.sent.map((q) => q.NextToken)).toEqual([undefined, "t2", "t3"]);
  });

  test("with instance IDs: batches of 100 with the filters, unknown IDs absent, an empty list calls nothing", async () => {
    const ids = Array.from({ length: 150 }, (_, k) => `i-${k}`);
    const t = scripted((q) => ({
      Instances: { Instance: (JSON.parse(q.InstanceIds) as string[]).filter((id) => id !== "i-7").map(item) },
    }));
    const found = await client(t).findInstances({ instanceIds: [...ids, "i-0"], vpcId: "vpc-1" });
    expect(found).toHaveLength(149);
    expect(t.sent.map((q) => [(JSON.parse(q.InstanceIds) as string[]).length, q.VpcId])).toEqual([
      [100, "vpc-1"],
      [50, "vpc-1"],
    ]);
    expect(await client(t).findInstances({ instanceIds: [] })).toEqual([]);
    expect(t.sent).toHaveLength(2);
  });

  test("refuses more than 20 tag filters or an empty key before any call", async () => {
    const t = scripted(() => ({}));
    const tags = Array.from({ length: 21 }, (_, k) => ({ key: `k${k}` }));
    await expect(client(t).findInstances({ tags })).rejects.toThrow("at most 20 tag filters, not 21");
    await expect(client(t).findInstances({ tags: [{ key: "" }] })).rejects.toThrow("empty key");
    expect(t.sent).toEqual([]);
  });

  test("errors are classified like the other calls: throttling waited out, Forbidden.RAM at once", async () => {
    let calls = 0;
    const throttledOnce: RpcTransport = {
      call() {
        calls += 1;
        if (calls === 1) return Promise.reject(new ApiCallError("Throttling.User", "slow down", 400, "r1"));
        return Promise.resolve({ Instances: { Instance: [item("i-1")] } });
      },
    };
    expect((await client(throttledOnce).findInstances({ vpcId: "vpc-1" })).length).toBe(1);
    expect(calls).toBe(2);

    const forbidden: RpcTransport = {
      call: () =>
        Promise.reject(
          new ApiCallError("Forbidden.RAM", "not authorized", 403, "r2", undefined, {
            authAction: "ecs:DescribeInstances",
          }),
        ),
    };
    const e = (await client(forbidden)
      .findInstances({ vpcId: "vpc-1" })
      .catch((x: unknown) => x)) as EcsError;
    expect(e).toBeInstanceOf(EcsError);
    expect(e).toMatchObject({ code: "Forbidden.RAM", category: "forbidden", attempts: 1 });
  });
});

describe("findInstances against the emulator", () => {
  const world: EmulatorSeed = {
    accessKeys: [KEY],
    securityGroups: [
      { securityGroupId: "sg-a", vpcId: "vpc-1" },
      { securityGroupId: "sg-b", vpcId: "vpc-1" },
      { securityGroupId: "sg-c", vpcId: "vpc-2" },
    ],
    instances: Array.from({ length: 250 }, (_, k) => ({
      instanceId: `i-${String(k).padStart(3, "0")}`,
      vpcId: k < 230 ? "vpc-1" : "vpc-2",
      securityGroupIds: k >= 230 ? ["sg-c"] : k % 2 === 0 ? ["sg-a", "sg-b"] : ["sg-a"],
      tags: [
        { key: "env", value: k % 3 === 0 ? "prod" : "test" },
        ...(k % 10 === 0 ? [{ key: "owner", value: "ops" }] : []),
      ],
    })),
  };
  let cloud: EmulatorHarness;
  beforeAll(async () => {
    cloud = await EmulatorHarness.start(world);
  });
  afterAll(() => cloud.close());
  beforeEach(() => cloud.clearCalls());

  const describeCalls = async () =>
    (await cloud.calls()).filter((c) => c.action === "DescribeInstances" && c.code === null).length;

  test("a VPC of 230 instances takes ceil(230 / 100) = 3 calls", async () => {
    const found = await cloud.client().findInstances({ vpcId: "vpc-1" });
    expect(found).toHaveLength(230);
    expect(new Set(found.map((i) => i.vpcId))).toEqual(new Set(["vpc-1"]));
    expect(await describeCalls()).toBe(3);
  });

  test("tags, VPC and group are ANDed by the service", async () => {
    const found = await cloud.client().findInstances({
      vpcId: "vpc-1",
      securityGroupId: "sg-b",
      tags: [{ key: "env", value: "prod" }, { key: "owner" }],
    });
    const expected = world.instances!.filter((_, k) => k < 230 && k % 2 === 0 && k % 3 === 0 && k % 10 === 0);
    expect(found.map((i) => i.instanceId)).toEqual(expected.map((i) => i.instanceId));
    expect(found[0].securityGroupIds).toEqual(["sg-a", "sg-b"]);
    expect(await describeCalls()).toBe(1);
  });

  test("nothing matching still answers with one call", async () => {
    expect(await cloud.client().findInstances({ vpcId: "vpc-none" })).toEqual([]);
    expect(await describeCalls()).toBe(1);
  });
});
