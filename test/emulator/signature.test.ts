import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { signRpcV1 } from "../../src/emulator/signature";
import { acs3Headers, query, send, sendV1, timestamp, v1Params } from "./raw";
import { failure, sdkClient } from "./sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, world } from "./world";

const LEAVE = { InstanceId: "i-run", SecurityGroupId: "sg-web" };
const minutesAgo = (m: number) => timestamp(new Date(Date.now() - m * 60_000));

describe("request signatures", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    const seed = world();
    seed.accessKeys = [
      ...(seed.accessKeys ?? []),
      { accessKeyId: "sts-key", accessKeySecret: "sts-secret", securityToken: "sts-token-Qw9" },
    ];
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    const seed = emulator.state();
    seed.instances = seed.instances.map((i) =>
      i.instanceId === "i-run" ? { ...i, securityGroupIds: ["sg-base", "sg-web"] } : i,
    );
    await send(emulator.url, { method: "PUT", path: "/_emulator/state", body: JSON.stringify(seed) });
  });

  const groupsOfRun = () =>
    emulator.state().instances.find((i) => i.instanceId === "i-run")?.securityGroupIds;

  test("the HMAC-SHA1 signer reproduces the SDK's published vector", () => {
    expect(signRpcV1({ test: "ok" }, "", "accessKeySecret")).toBe("jHx/oHoHNrbVfhncHEvPdHXZwHU=");
  });

  describe("HMAC-SHA1 (signature v1)", () => {
    test("accepts a correctly signed request, parameters in the query string", async () => {
      const res = await sendV1(emulator.url, v1Params("LeaveSecurityGroup", LEAVE));
      expect(res.status).toBe(200);
      expect(groupsOfRun()).toEqual(["sg-base"]);
    });

    test("accepts a correctly signed request, parameters in a form body", async () => {
      const res = await send(emulator.url, {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: query(v1Params("DescribeInstanceAttribute", { InstanceId: "i-run" })),
      });
      expect([res.status, res.body.InstanceId]).toEqual([200, "i-run"]);
    });

    test("refuses a parameter changed after signing, and changes nothing", async () => {
      const params = v1Params("LeaveSecurityGroup", LEAVE);
      const res = await sendV1(emulator.url, { ...params, SecurityGroupId: "sg-base" });
      expect([res.status, res.body.Code]).toEqual([400, "SignatureDoesNotMatch"]);
      expect(groupsOfRun()).toEqual(["sg-base", "sg-web"]);
    });

    test("refuses a wrong secret", async () => {
      const res = await sendV1(
        emulator.url,
        v1Params("LeaveSecurityGroup", LEAVE, { secret: "not-the-secret" }),
      );
      expect([res.status, res.body.Code]).toEqual([400, "SignatureDoesNotMatch"]);
    });

    test("refuses an unknown access key", async () => {
      const res = await sendV1(
        emulator.url,
        v1Params("LeaveSecurityGroup", LEAVE, { accessKeyId: "nobody" }),
      );
      expect([res.status, res.body.Code]).toEqual([404, "InvalidAccessKeyId.NotFound"]);
    });

    test("refuses a reused nonce", async () => {
      const params = v1Params("DescribeInstanceAttribute", { InstanceId: "i-run" });
      expect((await sendV1(emulator.url, params)).status).toBe(200);
      const again = await sendV1(emulator.url, params);
      expect([again.status, again.body.Code]).toEqual([400, "SignatureNonceUsed"]);
    });

    test.each([
      ["20 minutes old", minutesAgo(20)],
      ["20 minutes in the future", minutesAgo(-20)],
    ])("refuses a timestamp %s", async (_title, at) => {
      const res = await sendV1(emulator.url, v1Params("LeaveSecurityGroup", LEAVE, { timestamp: at }));
      expect([res.status, res.body.Code]).toEqual([400, "InvalidTimeStamp.Expired"]);
      expect(groupsOfRun()).toEqual(["sg-base", "sg-web"]);
    });

    test("accepts a timestamp 10 minutes old", async () => {
      const res = await sendV1(
        emulator.url,
        v1Params("DescribeInstanceAttribute", { InstanceId: "i-run" }, { timestamp: minutesAgo(10) }),
      );
      expect(res.status).toBe(200);
    });

    test("refuses a timestamp that is not yyyy-MM-ddTHH:mm:ssZ", async () => {
      const res = await sendV1(
        emulator.url,
        v1Params("DescribeInstanceAttribute", { InstanceId: "i-run" }, { timestamp: "yesterday" }),
      );
      expect([res.status, res.body.Code]).toEqual([400, "InvalidTimeStamp.Format"]);
    });

    test("refuses a request without AccessKeyId as IncompleteSignature", async () => {
      const params = v1Params("DescribeInstanceAttribute", { InstanceId: "i-run" });
      delete params.AccessKeyId;
      const res = await sendV1(emulator.url, params);
      expect([res.status, res.body.Code]).toEqual([400, "IncompleteSignature"]);
    });
  });

  describe("ACS3-HMAC-SHA256", () => {
    test("accepts a request signed by the emulator's signer", async () => {
      const res = await send(emulator.url, {
        path: `/?${query(LEAVE)}`,
        headers: acs3Headers(emulator.url, "LeaveSecurityGroup", LEAVE),
      });
      expect(res.status).toBe(200);
      expect(groupsOfRun()).toEqual(["sg-base"]);
    });

    test("refuses a query parameter changed after signing", async () => {
      const headers = acs3Headers(emulator.url, "LeaveSecurityGroup", LEAVE);
      const res = await send(emulator.url, {
        path: `/?${query({ ...LEAVE, SecurityGroupId: "sg-base" })}`,
        headers,
      });
      expect([res.status, res.body.Code]).toEqual([400, "SignatureDoesNotMatch"]);
      expect(groupsOfRun()).toEqual(["sg-base", "sg-web"]);
    });

    test("refuses a signed header changed after signing (another action)", async () => {
      const headers = acs3Headers(emulator.url, "DescribeInstanceAttribute", { InstanceId: "i-run" });
      const res = await send(emulator.url, {
        path: `/?${query(LEAVE)}`,
        headers: { ...headers, "x-acs-action": "LeaveSecurityGroup" },
      });
      expect([res.status, res.body.Code]).toEqual([400, "SignatureDoesNotMatch"]);
    });

    test("refuses a body that does not match x-acs-content-sha256", async () => {
      const headers = acs3Headers(emulator.url, "LeaveSecurityGroup", {});
      const res = await send(emulator.url, { headers, body: query(LEAVE) });
      expect([res.status, res.body.Code]).toEqual([400, "SignatureDoesNotMatch"]);
      expect(groupsOfRun()).toEqual(["sg-base", "sg-web"]);
    });

    test("refuses an x-acs- header that is not signed", async () => {
      const headers = acs3Headers(emulator.url, "DescribeInstanceAttribute", { InstanceId: "i-run" });
      const res = await send(emulator.url, {
        path: "/?InstanceId=i-run",
        headers: { ...headers, "x-acs-extra": "1" },
      });
      expect([res.status, res.body.Code]).toEqual([400, "IncompleteSignature"]);
    });

    test("refuses a reused nonce", async () => {
      const headers = acs3Headers(emulator.url, "DescribeInstanceAttribute", { InstanceId: "i-run" });
      expect((await send(emulator.url, { path: "/?InstanceId=i-run", headers })).status).toBe(200);
      const again = await send(emulator.url, { path: "/?InstanceId=i-run", headers });
      expect([again.status, again.body.Code]).toEqual([400, "SignatureNonceUsed"]);
    });

    test("refuses a stale x-acs-date", async () => {
      const headers = acs3Headers(
        emulator.url,
        "DescribeInstanceAttribute",
        { InstanceId: "i-run" },
        { date: minutesAgo(16) },
      );
      const res = await send(emulator.url, { path: "/?InstanceId=i-run", headers });
      expect([res.status, res.body.Code]).toEqual([400, "InvalidTimeStamp.Expired"]);
    });

    test("refuses a wrong secret and an unknown key sent by the SDK", async () => {
      const wrong = await failure(
        sdkClient(emulator.url, { accessKeyId: ACCESS_KEY_ID, accessKeySecret: "wrong" })(
          "LeaveSecurityGroup",
          LEAVE,
        ),
      );
      expect([wrong.statusCode, wrong.code]).toEqual([400, "SignatureDoesNotMatch"]);
      const unknown = await failure(
        sdkClient(emulator.url, { accessKeyId: "nobody", accessKeySecret: "x" })("LeaveSecurityGroup", LEAVE),
      );
      expect([unknown.statusCode, unknown.code]).toEqual([404, "InvalidAccessKeyId.NotFound"]);
      expect(groupsOfRun()).toEqual(["sg-base", "sg-web"]);
    });
  });

  test.each([
    ["ACS3", undefined],
    ["HMAC-SHA1", "v2" as const],
  ])("an STS key works only with its security token (%s)", async (_name, signatureAlgorithm) => {
    const withToken = sdkClient(emulator.url, {
      accessKeyId: "sts-key",
      accessKeySecret: "sts-secret",
      securityToken: "sts-token-Qw9",
      signatureAlgorithm,
    });
    expect((await withToken("DescribeInstanceAttribute", { InstanceId: "i-run" })).InstanceId).toBe("i-run");
    const without = sdkClient(emulator.url, {
      accessKeyId: "sts-key",
      accessKeySecret: "sts-secret",
      signatureAlgorithm,
    });
    const err = await failure(without("DescribeInstanceAttribute", { InstanceId: "i-run" }));
    expect([err.statusCode, err.code]).toEqual([400, "InvalidSecurityToken.MismatchWithAccessKey"]);
  });

  test("refuses an unsigned request as IncompleteSignature", async () => {
    const res = await send(emulator.url, {
      path: `/?${query({ Action: "DescribeInstanceAttribute", Version: "2014-05-26", InstanceId: "i-run" })}`,
    });
    expect([res.status, res.body.Code]).toEqual([400, "IncompleteSignature"]);
  });

  test.each([
    ["no Version", { Version: undefined }, 400, "MissingParameter.Version"],
    ["an unknown Version", { Version: "2099-01-01" }, 400, "InvalidVersion"],
    ["no Action", { Action: undefined }, 400, "MissingParameter.Action"],
  ])("refuses a request with %s", async (_title, change, status, code) => {
    const params: Record<string, string> = {
      ...v1Params("DescribeInstanceAttribute", { InstanceId: "i-run" }),
    };
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete params[key];
      else params[key] = value;
    }
    const res = await sendV1(emulator.url, params);
    expect([res.status, res.body.Code]).toEqual([status, code]);
  });

  test("survives malformed requests and keeps answering JSON", async () => {
    const bad = await send(emulator.url, { path: "/?Action=%E0%A4%A&Version=%&&=&InstanceId" });
    expect(bad.status).toBe(400);
    expect(typeof bad.body.Code).toBe("string");
    const elsewhere = await send(emulator.url, { path: "/nothing-here" });
    expect(elsewhere.status).toBe(404);
    const ok = await sendV1(emulator.url, v1Params("DescribeInstanceAttribute", { InstanceId: "i-run" }));
    expect(ok.status).toBe(200);
  });

  test("the call log never holds a signature, token or key", async () => {
    await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
    await sdkClient(emulator.url, {
      accessKeyId: "sts-key",
      accessKeySecret: "sts-secret",
      securityToken: "sts-token-Qw9",
      signatureAlgorithm: "v2",
    })("DescribeInstanceAttribute", { InstanceId: "i-run" });
    await sendV1(emulator.url, v1Params("LeaveSecurityGroup", LEAVE, { secret: "wrong" }));
    const calls = await (await fetch(`${emulator.url}/_emulator/calls`)).json();
    expect(calls).toEqual([
      { action: "DescribeInstanceAttribute", params: { InstanceId: "i-run" }, httpStatus: 200, code: null },
      { action: "LeaveSecurityGroup", params: LEAVE, httpStatus: 400, code: "SignatureDoesNotMatch" },
    ]);
    const text = JSON.stringify(calls);
    for (const secret of ["sts-token-Qw9", "sts-secret", ACCESS_KEY_SECRET, '"Signature"', "SecurityToken"])
      expect(text).not.toContain(secret);
  });
});
