import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../src/emulator/server";
import { failure, sdkClient, type SdkCall } from "./sdk";

const REGION = { RegionId: "cn-hangzhou" };
const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, k) => `${prefix}${String(k).padStart(3, "0")}`);

/** 250 instances and 120 groups: more than one page of anything. */
function bigWorld(): EmulatorSeed {
  const groups = ids(120, "sg-n");
  return {
    securityGroups: [
      ...groups.map((securityGroupId) => ({ securityGroupId, vpcId: "vpc-a" })),
      {
        securityGroupId: "sg-ent",
        vpcId: "vpc-b",
        type: "enterprise" as const,
        name: "ops",
        description: "ops team",
      },
    ],
    instances: ids(250, "i-n").map((instanceId, k) => ({
      instanceId,
      vpcId: k % 2 === 0 ? "vpc-a" : "vpc-b",
      status: k % 5 === 0 ? ("Stopped" as const) : ("Running" as const),
      securityGroupIds: k % 2 === 0 ? [groups[k % 120]] : ["sg-ent"],
      lockReasons: k === 7 ? ["security" as const, "financial" as const] : [],
    })),
  };
}

describe("Describe actions", () => {
  let emulator: RunningEmulator;
  let call: SdkCall;

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: bigWorld() });
    call = sdkClient(emulator.url);
  });
  afterAll(() => emulator.close());

  type InstancesPage = {
    Instances: { Instance: { InstanceId: string }[] };
    NextToken: string;
    TotalCount: number;
  };

  async function allPages(query: Record<string, string>): Promise<{ ids: string[]; pages: number }> {
    const seen: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const body = (await call("DescribeInstances", {
        ...REGION,
        ...query,
        ...(token ? { NextToken: token } : {}),
      })) as InstancesPage;
      seen.push(...body.Instances.Instance.map((i) => i.InstanceId));
      token = body.NextToken;
      pages += 1;
    } while (token !== "");
    return { ids: seen, pages };
  }

  test("pages through more than 100 instances with MaxResults and NextToken", async () => {
    const { ids: seen, pages } = await allPages({ MaxResults: "100" });
    expect(pages).toBe(3);
    expect(seen).toEqual(ids(250, "i-n"));
  });

  test("pages through a 100-ID InstanceIds batch; unknown IDs are simply absent", async () => {
    const wanted = [...ids(250, "i-n").slice(100, 199), "i-missing"];
    const { ids: seen } = await allPages({ InstanceIds: JSON.stringify(wanted), MaxResults: "30" });
    expect(seen).toEqual(wanted.slice(0, 99));
  });

  test("without paging parameters answers the first 10, like the service", async () => {
    const body = (await call("DescribeInstances", REGION)) as InstancesPage & {
      PageSize: number;
      PageNumber: number;
    };
    expect(body.Instances.Instance).toHaveLength(10);
    expect(body).toMatchObject({ TotalCount: 250, PageNumber: 1, PageSize: 10 });
    expect(body.NextToken).not.toBe("");
  });

  test("supports PageNumber and PageSize", async () => {
    const body = (await call("DescribeInstances", {
      ...REGION,
      PageNumber: "3",
      PageSize: "100",
    })) as InstancesPage & { PageNumber: number };
    expect(body.Instances.Instance.map((i) => i.InstanceId)).toEqual(ids(250, "i-n").slice(200));
    expect(body).toMatchObject({ TotalCount: 250, PageNumber: 3, NextToken: "" });
  });

  test("filters by Status, VpcId and SecurityGroupId", async () => {
    const { ids: stopped } = await allPages({ Status: "Stopped", VpcId: "vpc-a", MaxResults: "100" });
    expect(stopped).toEqual(ids(250, "i-n").filter((_, k) => k % 5 === 0 && k % 2 === 0));
    const { ids: inGroup } = await allPages({ SecurityGroupId: "sg-n004", MaxResults: "100" });
    expect(inGroup).toEqual(["i-n004", "i-n124", "i-n244"]);
  });

  test("renders an instance in the documented shape", async () => {
    const body = (await call("DescribeInstances", { ...REGION, InstanceIds: '["i-n007"]' })) as {
      Instances: { Instance: unknown[] };
    };
    expect(body.Instances.Instance[0]).toEqual({
      InstanceId: "i-n007",
      InstanceName: "i-n007",
      RegionId: "cn-hangzhou",
      ZoneId: "cn-hangzhou-a",
      Status: "Running",
      InstanceNetworkType: "vpc",
      SecurityGroupIds: { SecurityGroupId: ["sg-ent"] },
      OperationLocks: {
        LockReason: [
          { LockReason: "security", LockMsg: "" },
          { LockReason: "financial", LockMsg: "" },
        ],
      },
      VpcAttributes: { VpcId: "vpc-b", VSwitchId: "", NatIpAddress: "", PrivateIpAddress: { IpAddress: [] } },
      Tags: { Tag: [] },
    });
  });

  test.each([
    [
      "more than 100 InstanceIds",
      { InstanceIds: JSON.stringify(ids(101, "i-n")) },
      400,
      "InvalidInstanceIds.Malformed",
    ],
    [
      "InstanceIds that are not a JSON array",
      { InstanceIds: "i-n001,i-n002" },
      400,
      "InvalidInstanceIds.Malformed",
    ],
    ["MaxResults above 100", { MaxResults: "101" }, 400, "InvalidParameter.MaxResults"],
    ["a NextToken it never issued", { NextToken: "bogus" }, 400, "InvalidParameter.NextToken"],
    ["an unknown Status", { Status: "Runing" }, 400, "InvalidParameter.Status"],
  ])("DescribeInstances refuses %s", async (_title, query, status, code) => {
    const err = await failure(call("DescribeInstances", { ...REGION, ...query }));
    expect([err.statusCode, err.code]).toEqual([status, code]);
  });

  test("DescribeInstances requires RegionId", async () => {
    const err = await failure(call("DescribeInstances", {}));
    expect([err.statusCode, err.code]).toEqual([400, "MissingParameter.RegionId"]);
  });

  test("DescribeInstanceAttribute answers one instance flat, lock items with LockReason only", async () => {
    const body = await call("DescribeInstanceAttribute", { InstanceId: "i-n007" });
    expect(body).toMatchObject({
      InstanceId: "i-n007",
      Status: "Running",
      SecurityGroupIds: { SecurityGroupId: ["sg-ent"] },
      OperationLocks: { LockReason: [{ LockReason: "security" }, { LockReason: "financial" }] },
      VpcAttributes: { VpcId: "vpc-b" },
    });
    expect(typeof body.RequestId).toBe("string");
  });

  test("DescribeInstanceAttribute of an unknown instance is InvalidInstanceId.NotFound (404)", async () => {
    const err = await failure(call("DescribeInstanceAttribute", { InstanceId: "i-gone" }));
    expect([err.statusCode, err.code]).toEqual([404, "InvalidInstanceId.NotFound"]);
  });

  test("DescribeSecurityGroups answers groups by ID in the documented shape", async () => {
    const body = await call("DescribeSecurityGroups", {
      ...REGION,
      SecurityGroupIds: '["sg-ent","sg-n001","sg-none"]',
    });
    expect(body).toMatchObject({ RegionId: "cn-hangzhou", TotalCount: 2, NextToken: "" });
    expect((body.SecurityGroups as { SecurityGroup: unknown[] }).SecurityGroup).toEqual([
      {
        SecurityGroupId: "sg-n001",
        SecurityGroupName: "sg-n001",
        SecurityGroupType: "normal",
        VpcId: "vpc-a",
        Description: "",
        CreationTime: "2024-01-01T00:00:00Z",
      },
      {
        SecurityGroupId: "sg-ent",
        SecurityGroupName: "ops",
        SecurityGroupType: "enterprise",
        VpcId: "vpc-b",
        Description: "ops team",
        CreationTime: "2024-01-01T00:00:00Z",
      },
    ]);
  });

  test("DescribeSecurityGroups pages with NextToken and filters by type and VPC", async () => {
    const seen: string[] = [];
    let token = "";
    do {
      const body = (await call("DescribeSecurityGroups", {
        ...REGION,
        VpcId: "vpc-a",
        MaxResults: "50",
        ...(token ? { NextToken: token } : {}),
      })) as {
        SecurityGroups: { SecurityGroup: { SecurityGroupId: string }[] };
        NextToken: string;
      };
      seen.push(...body.SecurityGroups.SecurityGroup.map((g) => g.SecurityGroupId));
      token = body.NextToken;
    } while (token);
    expect(seen).toEqual(ids(120, "sg-n"));
    const ent = await call("DescribeSecurityGroups", { ...REGION, SecurityGroupType: "enterprise" });
    expect(ent.TotalCount).toBe(1);
  });
});
