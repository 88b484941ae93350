import { createPrng } from "../../src/emulator/faults";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { failure, sdkClient, type SdkCall } from "./sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, world } from "./world";

describe("injected faults", () => {
  let emulator: RunningEmulator;
  let call: SdkCall;

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const setFaults = async (faults: object) => {
    const res = await admin("PUT", "/_emulator/faults", faults);
    if (res.status !== 200) throw new Error(await res.text());
  };
  const groupsOf = (instanceId: string) =>
    emulator.state().instances.find((i) => i.instanceId === instanceId)?.securityGroupIds;

  /** The outcome codes of n describe calls made one after another ("ok" for success). */
  const outcomes = async (n: number): Promise<string[]> => {
    const seen: string[] = [];
    for (let k = 0; k < n; k++) {
      try {
        await call("DescribeInstanceAttribute", { InstanceId: "i-run" });
        seen.push("ok");
      } catch (err) {
        seen.push(`${(err as { statusCode: number }).statusCode} ${(err as { code: string }).code}`);
      }
    }
    return seen;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: world() });
    call = sdkClient(emulator.url, { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await admin("DELETE", "/_emulator/faults");
    await admin("PUT", "/_emulator/state", world());
    await admin("DELETE", "/_emulator/calls");
  });

  test("the same seed gives the same sequence of faults; another seed another one", async () => {
    const faults = { throttleRate: 0.3, serverErrorRate: 0.2, lostResponseRate: 0.1, seed: 42 };
    await setFaults(faults);
    const first = await outcomes(60);
    await setFaults(faults);
    const second = await outcomes(60);
    await setFaults({ ...faults, seed: 43 });
    const third = await outcomes(60);
    expect(second).toEqual(first);
    expect(third).not.toEqual(first);
    expect(new Set(first)).toEqual(
      new Set(["ok", "400 Throttling", "500 InternalError", "503 ServiceUnavailable"]),
    );
  });

  test("the PRNG gives fixed numbers for a seed, so fault sequences are the same on every machine", () => {
    const next = createPrng(42);
    expect([next(), next(), next()].map((d) => d.toFixed(6))).toEqual(["0.601104", "0.448291", "0.852466"]);
  });

  test("throttling happens before the action: nothing changes", async () => {
    await setFaults({ throttleRate: 1 });
    const err = await failure(call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }));
    expect([err.statusCode, err.code]).toEqual([400, "Throttling"]);
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web"]);
  });

  test("server errors happen before the action: nothing changes", async () => {
    await setFaults({ serverErrorRate: 1, seed: 5 });
    for (let k = 0; k < 6; k++) {
      const err = await failure(call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }));
      expect([500, 503]).toContain(err.statusCode);
      expect(["InternalError", "ServiceUnavailable"]).toContain(err.code);
    }
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web"]);
  });

  test("a lost response applies the change but answers 500; the retry then finds it done", async () => {
    await setFaults({ lostResponseRate: 1 });
    const err = await failure(call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }));
    expect([err.statusCode, err.code]).toEqual([500, "InternalError"]);
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web", "sg-db"]);
    await admin("DELETE", "/_emulator/faults");
    const retry = await failure(call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }));
    expect(retry.code).toBe("InvalidInstanceId.AlreadyExists");
    const calls = (await (await admin("GET", "/_emulator/calls")).json()) as {
      httpStatus: number;
      code: string | null;
    }[];
    expect(calls.map((c) => [c.httpStatus, c.code])).toEqual([
      [500, "InternalError"],
      [403, "InvalidInstanceId.AlreadyExists"],
    ]);
  });

  test("a scripted fault meets the chosen call once: the second Leave loses its response, the rest pass", async () => {
    await setFaults({ script: [{ action: "LeaveSecurityGroup", fault: "lostResponse", skip: 1 }] });
    await call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" });
    await call("LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" });
    await call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" });
    const lost = await failure(
      call("LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-web" }),
    );
    expect([lost.statusCode, lost.code]).toEqual([500, "InternalError"]);
    // The change was made: the caller was not told.
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-db"]);
    await call("LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" });
    const left = (await (await admin("GET", "/_emulator/faults")).json()) as { script: unknown[] };
    expect(left.script).toEqual([]);
  });

  test("scripted serverError and forbidden refuse before the action; throttling answers Throttling.User", async () => {
    await setFaults({
      script: [
        { action: "JoinSecurityGroup", fault: "serverError" },
        { action: "JoinSecurityGroup", fault: "forbidden" },
        { action: "JoinSecurityGroup", fault: "throttling" },
      ],
    });
    const codes = [];
    for (let k = 0; k < 3; k++) {
      const err = await failure(call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }));
      codes.push([err.statusCode, err.code]);
    }
    expect(codes).toEqual([
      [500, "InternalError"],
      [403, "Forbidden.RAM"],
      [400, "Throttling.User"],
    ]);
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web"]);
    await call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" });
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web", "sg-db"]);
  });

  test("a bad script is refused, naming the field", async () => {
    const bad = async (script: unknown) => {
      const res = await admin("PUT", "/_emulator/faults", { script });
      return [res.status, ((await res.json()) as { Message: string }).Message];
    };
    expect(await bad({})).toEqual([400, expect.stringContaining("faults.script: expected a list")]);
    expect(await bad([{ action: "JoinSecurityGroup", fault: "explode" }])).toEqual([
      400,
      expect.stringContaining(
        "faults.script[0].fault: expected one of lostResponse, serverError, forbidden, throttling",
      ),
    ]);
    expect(await bad([{ action: "JoinSecurityGroup", fault: "forbidden", skip: -1 }])).toEqual([
      400,
      expect.stringContaining("faults.script[0].skip"),
    ]);
  });

  test("latencyMs delays every answer, and changes to one instance wait for each other", async () => {
    await setFaults({ latencyMs: 120 });
    const started = Date.now();
    await Promise.all([
      call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }),
      call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-g4" }),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(235);
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web", "sg-db", "sg-g4"]);
  });

  test("signature failures do not consume fault draws", async () => {
    await setFaults({ throttleRate: 0.5, seed: 9 });
    const expected = await outcomes(10);
    await setFaults({ throttleRate: 0.5, seed: 9 });
    await failure(
      sdkClient(emulator.url, { accessKeyId: ACCESS_KEY_ID, accessKeySecret: "wrong" })(
        "DescribeInstanceAttribute",
        { InstanceId: "i-run" },
      ),
    );
    expect(await outcomes(10)).toEqual(expected);
  });

  test("throttleForMs: every signed call answers Throttling.User until the window ends, then all pass", async () => {
    await setFaults({ throttleForMs: 400 });
    const f = await failure(call("DescribeInstanceAttribute", { InstanceId: "i-run" }));
    expect([f.statusCode, f.code]).toEqual([400, "Throttling.User"]);
    const join = await failure(call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" }));
    expect(join.code).toBe("Throttling.User");
    expect(groupsOf("i-run")).toEqual(["sg-base", "sg-web"]); // refused before the action
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await outcomes(5)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
  });

  test("DELETE /_emulator/faults ends a throttle window at once", async () => {
    await setFaults({ throttleForMs: 60_000 });
    expect(await outcomes(1)).toEqual(["400 Throttling.User"]);
    await admin("DELETE", "/_emulator/faults");
    expect(await outcomes(1)).toEqual(["ok"]);
  });
});
