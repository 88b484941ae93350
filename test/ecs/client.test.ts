import { EcsClient } from "../../src/ecs/client";
import { resolveEndpoint } from "../../src/ecs/endpoint";
import { ApiCallError, EcsError } from "../../src/ecs/errors";
import type { RpcTransport } from "../../src/ecs/sdk-transport";

interface Sent {
  action: string;
  query: Record<string, string>;
}

/** A scripted transport: each call is answered by `answer`, and recorded. */
function fakeTransport(
  answer: (sent: Sent, n: number) => Record<string, unknown>,
): RpcTransport & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async call(action, query) {
      const s = { action, query: { ...query } };
      sent.push(s);
      return answer(s, sent.length);
    },
  };
}

const apiError = (code: string, status: number, requestId = "req-x") =>
  new ApiCallError(code, `message for ${code}`, status, requestId);

function client(transport: RpcTransport, extra: Partial<ConstructorParameters<typeof EcsClient>[0]> = {}) {
  return new EcsClient(
    { regionId: "cn-hangzhou", credentials: { accessKeyId: "a", accessKeySecret: "b" }, ...extra },
    { transport, sleep: async () => undefined },
  );
}

const instanceJson = (id: string) => ({
  InstanceId: id,
  RegionId: "cn-hangzhou",
  Status: "Running",
  VpcAttributes: { VpcId: "vpc-1" },
  SecurityGroupIds: { SecurityGroupId: ["sg-a"] },
  OperationLocks: { LockReason: [{ LockReason: "security", LockMsg: "x" }] },
});

describe("EcsClient reads", () => {
  it("asks for at most 100 IDs per DescribeInstances call and drops duplicates", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `i-${i}`);
    const t = fakeTransport(({ query }) => ({
      RequestId: "r",
      Instances: { Instance: (JSON.parse(query.InstanceIds) as string[]).map(instanceJson) },
    }));
    const result = await client(t).describeInstances([...ids, ...ids.slice(0, 10)]);
    expect(t.sent.map((s) => (JSON.parse(s.query.InstanceIds) as string[]).length)).toEqual([100, 100, 50]);
    expect(t.sent.every((s) => s.action === "DescribeInstances" && s.query.RegionId === "cn-hangzhou")).toBe(
      true,
    );
    expect(result.size).toBe(250);
  });

  it("makes no call for an empty list", async () => {
    const t = fakeTransport(() => ({}));
    expect((await client(t).describeInstances([])).size).toBe(0);
    expect((await client(t).describeSecurityGroups([])).size).toBe(0);
    expect(t.sent).toHaveLength(0);
  });

  it("follows NextToken until the last page", async () => {
    const t = fakeTransport(({ query }) =>
      query.NextToken === undefined
        ? { Instances: { Instance: [instanceJson("i-1")] }, NextToken: "p2" }
        : query.NextToken === "p2"
          ? { Instances: { Instance: [instanceJson("i-2")] }, NextToken: "p3" }
          : { Instances: { Instance: [instanceJson("i-3")] }, NextToken: "" },
    );
    const result = await client(t, { pageSize: 1 }).describeInstances(["i-1", "i-2", "i-3"]);
    expect([...result.keys()]).toEqual(["i-1", "i-2", "i-3"]);
    expect(t.sent.map((s) => [s.query.MaxResults, s.query.NextToken])).toEqual([
      ["1", undefined],
      ["1", "p2"],
      ["1", "p3"],
    ]);
  });

  it("stops paging when a server repeats a token", async () => {
    const t = fakeTransport(() => ({ Instances: { Instance: [] }, NextToken: "same" }));
    await client(t).describeInstances(["i-1"]);
    expect(t.sent).toHaveLength(2);
  });

  it("maps instances, leaving unknown IDs out", async () => {
    const t = fakeTransport(() => ({
      Instances: {
        Instance: [
          instanceJson("i-1"),
          { InstanceId: "i-classic", Status: "Stopped", VpcAttributes: { VpcId: "" } },
          instanceJson("i-not-asked"),
        ],
      },
    }));
    const result = await client(t).describeInstances(["i-1", "i-classic", "i-missing"]);
    expect(result.get("i-1")).toEqual({
      instanceId: "i-1",
      regionId: "cn-hangzhou",
      status: "Running",
      vpcId: "vpc-1",
      securityGroupIds: ["sg-a"],
      lockReasons: ["security"],
    });
    expect(result.get("i-classic")).toEqual({
      instanceId: "i-classic",
      regionId: "cn-hangzhou",
      status: "Stopped",
      vpcId: null,
      securityGroupIds: [],
      lockReasons: [],
    });
    expect(result.has("i-missing")).toBe(false);
    expect(result.has("i-not-asked")).toBe(false);
  });

  it("maps security groups", async () => {
    const t = fakeTransport(({ query }) => {
      expect(JSON.parse(query.SecurityGroupIds)).toEqual(["sg-1", "sg-2"]);
      return {
        SecurityGroups: {
          SecurityGroup: [
            {
              SecurityGroupId: "sg-1",
              VpcId: "vpc-1",
              SecurityGroupType: "enterprise",
              SecurityGroupName: "web",
            },
            { SecurityGroupId: "sg-2", VpcId: "", SecurityGroupType: "normal" },
          ],
        },
      };
    });
    const result = await client(t).describeSecurityGroups(["sg-1", "sg-2"]);
    expect(result.get("sg-1")).toEqual({
      securityGroupId: "sg-1",
      vpcId: "vpc-1",
      type: "enterprise",
      name: "web",
    });
    expect(result.get("sg-2")).toEqual({ securityGroupId: "sg-2", vpcId: null, type: "normal", name: "" });
  });
});

describe("EcsClient writes", () => {
  it("joins with RegionId, InstanceId and SecurityGroupId", async () => {
    const t = fakeTransport(() => ({ RequestId: "req-join" }));
    const result = await client(t).joinSecurityGroup("i-1", "sg-1");
    expect(result).toEqual({ requestId: "req-join", alreadyDone: false, attempts: 1 });
    expect(t.sent).toEqual([
      {
        action: "JoinSecurityGroup",
        query: { RegionId: "cn-hangzhou", InstanceId: "i-1", SecurityGroupId: "sg-1" },
      },
    ]);
  });

  it("counts an answer of 'already a member' after a lost response as done", async () => {
    const t = fakeTransport((_s, n) => {
      if (n === 1) throw apiError("InternalError", 500);
      throw apiError("InvalidInstanceId.AlreadyExists", 403, "req-2");
    });
    expect(await client(t).joinSecurityGroup("i-1", "sg-1")).toEqual({
      requestId: "req-2",
      alreadyDone: true,
      attempts: 2,
    });
  });

  it.each([
    "InvalidSecurityGroupAssociation.NotFound",
    "InstanceNotInSecurityGroup",
    "InvalidInstanceId.NotFound",
  ])("treats %s on leave as done", async (code) => {
    const t = fakeTransport(() => {
      throw apiError(code, 403);
    });
    expect(await client(t).leaveSecurityGroup("i-1", "sg-1")).toMatchObject({
      alreadyDone: true,
      attempts: 1,
    });
  });

  it("throws refusals at once, with the attempt count", async () => {
    const t = fakeTransport(() => {
      throw apiError("InstanceLastSecurityGroup", 403, "req-last");
    });
    const e = (await client(t)
      .leaveSecurityGroup("i-1", "sg-1")
      .catch((x: unknown) => x)) as EcsError;
    expect(e).toBeInstanceOf(EcsError);
    expect(e).toMatchObject({
      code: "InstanceLastSecurityGroup",
      category: "refusal",
      requestId: "req-last",
      httpStatus: 403,
      attempts: 1,
      action: "LeaveSecurityGroup",
    });
    expect(t.sent).toHaveLength(1);
  });

  it("gives up on server errors after maxRetries + 1 attempts", async () => {
    const t = fakeTransport(() => {
      throw apiError("ServiceUnavailable", 503);
    });
    const e = (await client(t, { maxRetries: 2 })
      .joinSecurityGroup("i-1", "sg-1")
      .catch((x: unknown) => x)) as EcsError;
    expect(e.code).toBe("ServiceUnavailable");
    expect(e.attempts).toBe(3);
    expect(e.message).toContain("after 3 attempts");
    expect(t.sent).toHaveLength(3);
  });

  it("stops retrying when the configured signal aborts", async () => {
    const controller = new AbortController();
    const t = fakeTransport(() => {
      controller.abort();
      throw apiError("ServiceUnavailable", 503);
    });
    const c = new EcsClient(
      {
        regionId: "cn-hangzhou",
        signal: controller.signal,
        retryBaseDelayMs: 60_000,
        retryMaxDelayMs: 60_000,
      },
      { transport: t },
    );
    const e = (await c.joinSecurityGroup("i-1", "sg-1").catch((x: unknown) => x)) as EcsError;
    expect(e.code).toBe("OperationCanceled");
    expect(e.attempts).toBe(1);
  });
});

describe("resolveEndpoint", () => {
  it("defaults to the regional https endpoint", () => {
    expect(resolveEndpoint("cn-shanghai")).toEqual({
      protocol: "https",
      host: "ecs.cn-shanghai.aliyuncs.com",
    });
  });
  it("splits a full URL into protocol and host:port", () => {
    expect(resolveEndpoint("cn-hangzhou", "http://127.0.0.1:4599")).toEqual({
      protocol: "http",
      host: "127.0.0.1:4599",
    });
    expect(resolveEndpoint("cn-hangzhou", "https://ecs.example.com/")).toEqual({
      protocol: "https",
      host: "ecs.example.com",
    });
    expect(resolveEndpoint("cn-hangzhou", "ecs-vpc.cn-hangzhou.aliyuncs.com")).toEqual({
      protocol: "https",
      host: "ecs-vpc.cn-hangzhou.aliyuncs.com",
    });
  });
  it("refuses other schemes and paths", () => {
    expect(() => resolveEndpoint("r", "ftp://x")).toThrow(/http or https/);
    expect(() => resolveEndpoint("r", "http://x/api")).toThrow(/root path/);
  });
});

/** A clock that only moves when the client sleeps: minutes of backoff in microseconds. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function clockedClient(
  transport: RpcTransport,
  clock: ReturnType<typeof fakeClock>,
  extra: Partial<ConstructorParameters<typeof EcsClient>[0]> = {},
  random: () => number = Math.random,
) {
  return new EcsClient(
    { regionId: "cn-hangzhou", credentials: { accessKeyId: "a", accessKeySecret: "b" }, ...extra },
    { transport, sleep: clock.sleep, now: clock.now, random },
  );
}

describe("EcsClient deadlines", () => {
  /** Every call before `until` (clock time) is throttled, like ECS blocking a caller until the next minute. */
  const throttledUntil = (clock: ReturnType<typeof fakeClock>, until: number) =>
    fakeTransport(() => {
      if (clock.now() < until) throw apiError("Throttling.User", 400);
      return { RequestId: "ok" };
    });

  it.each([
    [0.01, 332],
    [0.5, 14],
    [0.999, 10],
  ])(
    "with the default policy, outlasts a 65 s throttle of every call within a 10m deadline (jitter draw %p: %p calls)",
    async (draw, calls) => {
      const clock = fakeClock();
      const t = throttledUntil(clock, clock.now() + 65_000);
      const deadline = { at: clock.now() + 10 * 60_000, description: 'timeouts.create, default "10m"' };
      const result = await clockedClient(t, clock, {}, () => draw).joinSecurityGroup("i-1", "sg-1", {
        deadline,
      });
      expect(result.alreadyDone).toBe(false);
      // The fake clock and a fixed draw make the number of calls exact (all more than the old 5 retries).
      expect(t.sent.length).toBe(calls);
      // Once the ceiling reaches the 20 s cap, the call is through within one cap of the block's end.
      expect(clock.now() - 1_000_000).toBeLessThan(65_000 + 20_000 + 1);
    },
  );

  it("throttling does not count against max_retries (0 here)", async () => {
    const clock = fakeClock();
    const t = throttledUntil(clock, clock.now() + 5_000);
    await clockedClient(t, clock, { maxRetries: 0 }, () => 0.5).leaveSecurityGroup("i-1", "sg-1");
    // Throttled for 5 s, retried past max_retries = 0 until through: 7 calls with the draw fixed.
    expect(t.sent.length).toBe(7);
  });

  it("gives up at the deadline with the last error, naming the deadline", async () => {
    const clock = fakeClock();
    const t = throttledUntil(clock, Number.POSITIVE_INFINITY);
    const started = clock.now();
    const e = (await clockedClient(t, clock)
      .leaveSecurityGroup("i-1", "sg-1", {
        deadline: { at: started + 3000, description: 'timeouts.delete = "3s"' },
      })
      .catch((x: unknown) => x)) as EcsError;
    expect(e).toBeInstanceOf(EcsError);
    expect(e.code).toBe("Throttling.User");
    expect(e.message).toContain('gave up at the deadline (timeouts.delete = "3s")');
    expect(clock.now() - started).toBeLessThanOrEqual(3000);
  });

  it("uses the client's default budget (read_timeout) for calls made without a deadline", async () => {
    const clock = fakeClock();
    const t = throttledUntil(clock, Number.POSITIVE_INFINITY);
    const e = (await clockedClient(t, clock, { defaultTimeoutMs: 90_000 })
      .describeInstances(["i-1"])
      .catch((x: unknown) => x)) as EcsError;
    expect(e.message).toContain('read_timeout = "90s"');
    expect(clock.now() - 1_000_000).toBeLessThanOrEqual(90_000);
  });

  it("never retries Forbidden.RAM, and never reads it as gone", async () => {
    const clock = fakeClock();
    const t = fakeTransport(() => {
      throw new ApiCallError("Forbidden.RAM", "User not authorized", 403, "req-ram", undefined, {
        authAction: "ecs:DescribeInstances",
      });
    });
    const e = (await clockedClient(t, clock)
      .describeInstances(["i-1"])
      .catch((x: unknown) => x)) as EcsError;
    expect(e).toMatchObject({ code: "Forbidden.RAM", category: "forbidden", attempts: 1 });
    expect(e.message).toContain("may not call ecs:DescribeInstances");
    expect(t.sent).toHaveLength(1);
    const leave = (await clockedClient(t, clock)
      .leaveSecurityGroup("i-1", "sg-1")
      .catch((x: unknown) => x)) as EcsError;
    expect(leave.code).toBe("Forbidden.RAM"); // not "already done"
  });
});

describe("EcsClient and a dead endpoint", () => {
  const refused = () =>
    fakeTransport(() => {
      throw new ApiCallError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:4599", null, null);
    });

  it("tries a refused connection three times, then names the endpoint once; later calls fail at once", async () => {
    const clock = fakeClock();
    const t = refused();
    const c = clockedClient(t, clock, { endpoint: "http://127.0.0.1:4599" });
    const first = (await c.joinSecurityGroup("i-1", "sg-1").catch((x: unknown) => x)) as EcsError;
    expect(first).toMatchObject({ code: "EndpointUnreachable", category: "unreachable", attempts: 3 });
    expect(first.message).toContain("cannot connect to the ECS endpoint http://127.0.0.1:4599");
    expect(first.message).toContain("ECONNREFUSED");
    expect(t.sent).toHaveLength(3);
    const later = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        c.describeInstances([`i-${n}`]).then(
          () => undefined,
          (x: unknown) => x as EcsError,
        ),
      ),
    );
    expect(t.sent).toHaveLength(3); // no further attempt
    for (const e of later) {
      expect(e).toMatchObject({ code: "EndpointUnreachable", attempts: 0 });
      expect(e?.message).toContain(
        "not attempted: the ECS endpoint http://127.0.0.1:4599 is unreachable (one other error of this run says why) (action DescribeInstances, not sent)",
      );
    }
  });

  it("reports an endpoint that accepts but never answers as a response timeout, with the time waited", async () => {
    const clock = fakeClock();
    const t = fakeTransport(() => {
      throw new ApiCallError("ResponseTimeout", "ReadTimeout(10000)", null, null);
    });
    const c = clockedClient(t, clock, { endpoint: "http://127.0.0.1:4599" });
    const e = (await c.describeInstances(["i-1"]).catch((x: unknown) => x)) as EcsError;
    expect(e.code).toBe("ResponseTimeout");
    expect(e.message).toContain(
      "the ECS endpoint http://127.0.0.1:4599 accepted the connection but sent no response within 10.0 s",
    );
    expect(t.sent).toHaveLength(1);
  });
});

describe("resolveEndpoint messages", () => {
  it("names a scheme that is not one, instead of blaming a path", () => {
    expect(() => resolveEndpoint("r", "ht!tp://::")).toThrow(
      'Invalid ECS endpoint "ht!tp://::": "ht!tp" is not a URL scheme; use http or https.',
    );
  });
  it("names a host that is not one", () => {
    expect(() => resolveEndpoint("r", "http://ec$s.example.com")).toThrow(/is not a host name or IP address/);
  });
  it("accepts IPv6 literals", () => {
    expect(resolveEndpoint("r", "http://[::1]:4599")).toEqual({ protocol: "http", host: "[::1]:4599" });
  });
});
