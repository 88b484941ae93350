/**
 * The SDK transport's edges over real sockets: network faults, timeouts,
 * cancellation, and where credentials come from (config, env chain, profile).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { createEcsClient } from "../../src/ecs/client";
import type { EcsError } from "../../src/ecs/errors";
import { EmulatorHarness, KEY, STS_KEY, everythingIn, rejectionOf } from "./emulator-helpers";

const seed = {
  regionId: "cn-hangzhou",
  accessKeys: [KEY, STS_KEY],
  securityGroups: [{ securityGroupId: "sg-base", vpcId: "vpc-main" }],
  instances: [{ instanceId: "i-web1", vpcId: "vpc-main", securityGroupIds: ["sg-base"] }],
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

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe("network faults", () => {
  it("retries a refused connection twice, then reports the endpoint unreachable without the signed URL", async () => {
    const server = createServer();
    const url = await listen(server);
    await closeServer(server); // nothing listens there any more
    const client = createEcsClient({
      regionId: "cn-hangzhou",
      endpoint: url,
      credentials: STS_KEY,
      signatureAlgorithm: "v2", // puts Signature and SecurityToken in the URL
      maxRetries: 2,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 2,
    });
    const e = (await rejectionOf(client.joinSecurityGroup("i-web1", "sg-base"))) as unknown as EcsError;
    expect(e).toMatchObject({
      code: "EndpointUnreachable",
      category: "unreachable",
      attempts: 3,
      httpStatus: null,
      requestId: null,
    });
    expect(e.message).toMatch(
      /^EndpointUnreachable: cannot connect to the ECS endpoint http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED: connection refused, 3 attempts\).*\(action JoinSecurityGroup, request none, after 3 attempts\)$/,
    );
    const all = everythingIn(e);
    expect(all).not.toContain(STS_KEY.securityToken);
    expect(all).not.toContain(encodeURIComponent(STS_KEY.securityToken));
    expect(all).not.toMatch(/Signature=[^*]/);
  });

  it("reports a server that never answers as a ResponseTimeout after the response timeout, with the endpoint and the time waited", async () => {
    let requests = 0;
    const server = createServer(() => void requests++);
    const url = await listen(server);
    try {
      const client = createEcsClient({
        regionId: "cn-hangzhou",
        endpoint: url,
        credentials: KEY,
        readTimeoutMs: 300,
        maxRetries: 1,
        retryBaseDelayMs: 1,
      });
      const e = (await rejectionOf(client.describeInstances(["i-web1"]))) as unknown as EcsError;
      expect(e).toMatchObject({ code: "ResponseTimeout", category: "unreachable", attempts: 1 });
      expect(e.message).toContain(
        `the ECS endpoint ${url} accepted the connection but sent no response within 0.3 s`,
      );
      // One request, given up after read_timeout: nothing else could end it.
      expect(requests).toBe(1);
    } finally {
      await closeServer(server);
    }
  });

  it("stops promptly when the signal aborts during a slow call", async () => {
    let requests = 0;
    const server = createServer(() => void requests++); // accepts, never answers
    const url = await listen(server);
    try {
      const controller = new AbortController();
      const client = createEcsClient({
        regionId: "cn-hangzhou",
        endpoint: url,
        credentials: KEY,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 100);
      const e = (await rejectionOf(client.joinSecurityGroup("i-web1", "sg-base"))) as unknown as EcsError;
      // The server never answers: the abort ends the call (OperationCanceled, not ResponseTimeout).
      expect(e).toMatchObject({ code: "OperationCanceled", category: "other", attempts: 1 });
      expect(requests).toBe(1);
    } finally {
      await closeServer(server);
    }
  });
});

describe("credentials without static keys", () => {
  const saved = { ...process.env };
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(os.tmpdir(), "alisg-ecs-home-"));
    for (const k of Object.keys(process.env)) {
      if (k.startsWith("ALIBABA_CLOUD_") || k.startsWith("ALICLOUD_")) delete process.env[k];
    }
    // The SDK reads the home directory natively, not from jest's copy of process.env.
    jest.spyOn(os, "homedir").mockReturnValue(home);
    // Keep the chain off the network: no instance metadata service here.
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = join(home, "no-such-credentials");
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
    rmSync(home, { recursive: true, force: true });
  });

  it("uses the standard chain's environment variables", async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = STS_KEY.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = STS_KEY.accessKeySecret;
    process.env.ALIBABA_CLOUD_SECURITY_TOKEN = STS_KEY.securityToken;
    const client = harness.client({ credentials: undefined });
    expect((await client.describeInstances(["i-web1"])).size).toBe(1);
  });

  it("uses a named profile of ~/.aliyun/config.json", async () => {
    mkdirSync(join(home, ".aliyun"));
    writeFileSync(
      join(home, ".aliyun", "config.json"),
      JSON.stringify({
        current: "other",
        profiles: [
          { name: "other", mode: "AK", access_key_id: "nobody", access_key_secret: "nothing" },
          { name: "emu", mode: "AK", access_key_id: KEY.accessKeyId, access_key_secret: KEY.accessKeySecret },
        ],
      }),
    );
    const client = harness.client({ credentials: undefined, profile: "emu" });
    expect((await client.describeInstances(["i-web1"])).size).toBe(1);
  });

  it("says which variables and attributes to set when there are none", async () => {
    const client = harness.client({ credentials: undefined, maxRetries: 3 });
    const e = (await rejectionOf(client.describeInstances(["i-web1"]))) as unknown as EcsError;
    expect(e).toMatchObject({ code: "MissingCredentials", category: "other", attempts: 1 });
    for (const hint of [
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "access_key",
      "secret_key",
      "profile",
    ]) {
      expect(e.message).toContain(hint);
    }
    expect(await harness.calls()).toHaveLength(0);
  });
});
