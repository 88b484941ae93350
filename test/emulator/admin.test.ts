import { isLocalAdminRequest, isLoopback } from "../../src/emulator/admin";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { failure, sdkClient, type SdkCall } from "./sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, world } from "./world";

describe("admin API", () => {
  let emulator: RunningEmulator;
  let call: SdkCall;

  const admin = async (method: string, path: string, body?: unknown, raw?: string) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: world() });
    call = sdkClient(emulator.url, { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await admin("PUT", "/_emulator/state", world());
    await admin("DELETE", "/_emulator/calls");
  });

  test("GET /_emulator/state answers the world in the seed format, defaults filled in", async () => {
    const { status, body } = await admin("GET", "/_emulator/state");
    expect(status).toBe(200);
    expect(body).toEqual(emulator.state());
    expect(body.instances[0]).toEqual({
      instanceId: "i-run",
      vpcId: "vpc-main",
      status: "Running",
      securityGroupIds: ["sg-base", "sg-web"],
      lockReasons: [],
      instanceName: "i-run",
      zoneId: "cn-hangzhou-a",
      vSwitchId: "",
      privateIpAddresses: [],
      tags: [],
    });
  });

  test("PUT /_emulator/state replaces everything, and GET output is valid PUT input", async () => {
    const { body: state } = await admin("GET", "/_emulator/state");
    state.instances = state.instances.filter((i: { instanceId: string }) => i.instanceId !== "i-run");
    expect((await admin("PUT", "/_emulator/state", state)).status).toBe(200);
    const err = await failure(call("DescribeInstanceAttribute", { InstanceId: "i-run" }));
    expect(err.code).toBe("InvalidInstanceId.NotFound");
  });

  test("PUT /_emulator/state with an invalid world answers 400 naming every problem, and keeps the old world", async () => {
    const before = emulator.state();
    const bad = {
      ...world(),
      instances: [{ instanceId: "i-x", status: "Runing", securityGroupIds: ["sg-nope"] }],
    };
    const { status, body } = await admin("PUT", "/_emulator/state", bad);
    expect(status).toBe(400);
    expect(body.Code).toBe("InvalidState");
    expect(body.Problems).toEqual([
      'instances[0].status: "Runing" is not one of Pending, Running, Starting, Stopping, Stopped',
      "instances[0].securityGroupIds[0]: sg-nope is not in securityGroups",
    ]);
    expect(emulator.state()).toEqual(before);
  });

  test("bad JSON on an admin endpoint is a 400 JSON error, not a crash", async () => {
    for (const path of ["/_emulator/state", "/_emulator/faults"]) {
      const { status, body } = await admin("PUT", path, undefined, "{not json");
      expect([status, body.Code]).toEqual([400, "InvalidJson"]);
    }
    const patch = await admin("PATCH", "/_emulator/instances/i-run", undefined, "[1,");
    expect([patch.status, patch.body.Code]).toEqual([400, "InvalidJson"]);
    expect((await admin("GET", "/_emulator/state")).status).toBe(200);
  });

  test("PATCH an instance's status out of band: the API then refuses to change it", async () => {
    const { status, body } = await admin("PATCH", "/_emulator/instances/i-run", { status: "Stopping" });
    expect([status, body.status]).toEqual([200, "Stopping"]);
    const err = await failure(call("LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-web" }));
    expect([err.statusCode, err.code]).toEqual([403, "IncorrectInstanceStatus"]);
  });

  test("PATCH lockReasons and securityGroupIds", async () => {
    await admin("PATCH", "/_emulator/instances/i-run", {
      lockReasons: ["security"],
      securityGroupIds: ["sg-db"],
    });
    const body = await call("DescribeInstanceAttribute", { InstanceId: "i-run" });
    expect(body.OperationLocks).toEqual({ LockReason: [{ LockReason: "security" }] });
    expect(body.SecurityGroupIds).toEqual({ SecurityGroupId: ["sg-db"] });
  });

  test.each([
    ["an unknown instance", "/_emulator/instances/i-nope", { status: "Running" }, 404, "InstanceNotFound"],
    [
      "a field that cannot be patched",
      "/_emulator/instances/i-run",
      { vpcId: "vpc-other" },
      400,
      "InvalidPatch",
    ],
    [
      "an unknown group",
      "/_emulator/instances/i-run",
      { securityGroupIds: ["sg-nope"] },
      400,
      "InvalidState",
    ],
    ["a bad status", "/_emulator/instances/i-run", { status: "running" }, 400, "InvalidState"],
  ])("PATCH refuses %s", async (_title, path, patch, status, code) => {
    const res = await admin("PATCH", path, patch);
    expect([res.status, res.body.Code]).toEqual([status, code]);
  });

  test("GET /_emulator/calls lists API calls oldest first; DELETE empties it", async () => {
    await call("JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-db" });
    await failure(call("LeaveSecurityGroup", { InstanceId: "i-single", SecurityGroupId: "sg-base" }));
    const { body } = await admin("GET", "/_emulator/calls");
    expect(body).toEqual([
      {
        action: "JoinSecurityGroup",
        params: { InstanceId: "i-run", SecurityGroupId: "sg-db" },
        httpStatus: 200,
        code: null,
      },
      {
        action: "LeaveSecurityGroup",
        params: { InstanceId: "i-single", SecurityGroupId: "sg-base" },
        httpStatus: 403,
        code: "InstanceLastSecurityGroup",
      },
    ]);
    expect((await admin("DELETE", "/_emulator/calls")).status).toBe(204);
    expect((await admin("GET", "/_emulator/calls")).body).toEqual([]);
  });

  test("PUT /_emulator/faults validates its body", async () => {
    expect((await admin("PUT", "/_emulator/faults", { throttleRate: 2 })).body.Code).toBe("InvalidFaults");
    expect((await admin("PUT", "/_emulator/faults", { throttle: 0.1 })).body.Code).toBe("InvalidFaults");
    const ok = await admin("PUT", "/_emulator/faults", { throttleRate: 0.1 });
    expect(ok.body).toEqual({
      throttleRate: 0.1,
      serverErrorRate: 0,
      lostResponseRate: 0,
      latencyMs: 0,
      seed: 0,
      throttleForMs: 0,
      script: [],
    });
    expect((await admin("DELETE", "/_emulator/faults")).status).toBe(204);
    expect((await admin("GET", "/_emulator/faults")).body.throttleRate).toBe(0);
  });

  test("unknown admin paths are 404 and wrong methods 405", async () => {
    expect((await admin("GET", "/_emulator/nothing")).status).toBe(404);
    expect((await admin("POST", "/_emulator/state", {})).status).toBe(405);
  });

  test("state() returns a snapshot the caller cannot use to change the world", () => {
    const snapshot = emulator.state();
    snapshot.instances[0].securityGroupIds.push("sg-db");
    expect(emulator.state().instances[0].securityGroupIds).toEqual(["sg-base", "sg-web"]);
  });
});

test("only loopback peers may use the admin API", () => {
  for (const peer of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
    expect(isLoopback(peer)).toBe(true);
  for (const peer of ["10.0.0.4", "::ffff:192.168.1.2", "fe80::1", undefined])
    expect(isLoopback(peer)).toBe(false);
});

test("a browser page cannot reach the admin API through a rebound DNS name", () => {
  expect(isLocalAdminRequest("127.0.0.1", { host: "127.0.0.1:4599" })).toBe(true);
  expect(isLocalAdminRequest("::1", { host: "[::1]:4599" })).toBe(true);
  expect(isLocalAdminRequest("127.0.0.1", { host: "localhost" })).toBe(true);
  // A page on evil.example rebound to 127.0.0.1: the Host names the page's site, and browsers send Origin.
  expect(isLocalAdminRequest("127.0.0.1", { host: "evil.example:4599" })).toBe(false);
  expect(isLocalAdminRequest("127.0.0.1", { host: "127.0.0.1:4599", origin: "http://evil.example" })).toBe(
    false,
  );
  expect(isLocalAdminRequest("10.0.0.4", { host: "127.0.0.1:4599" })).toBe(false);
});
