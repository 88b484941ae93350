import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCESS_KEY, attachments, expectExit, SECRET, seed, useCloud } from "./harness";

// Resilience under injected faults, and secrets kept out of every output.
jest.setTimeout(300_000);

const instanceIds = Array.from({ length: 10 }, (_, n) => `i-node${n}`);
const groupIds = ["sg-g0", "sg-g1", "sg-g2"];
const world = () =>
  seed(
    instanceIds.map((instanceId) => ({ instanceId, securityGroupIds: ["sg-base"] })),
    ["sg-base", ...groupIds],
  );

describe("faults and secrets with real terraform", () => {
  const env = useCloud(world);

  test("with default settings, 30 attachments apply under 30% throttling, 5% server errors and 10% lost responses; memberships exact; next plan clean", async () => {
    const pairs: Record<string, [string, string]> = {};
    for (const i of instanceIds) for (const g of groupIds) pairs[`${i}_${g}`.replace(/-/g, "_")] = [i, g];
    env.ws.configure(attachments(pairs), { max_retries: undefined }); // the provider's defaults
    await env.ws.init();
    await env.cloud.setFaults({
      throttleRate: 0.3,
      serverErrorRate: 0.05,
      lostResponseRate: 0.1,
      latencyMs: 0,
      // FAULT_SEED: another fault sequence for runs by hand (the 5-in-a-row check).
      seed: Number(process.env.FAULT_SEED ?? 42),
    });
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(apply.stdout).toContain("30 added, 0 changed, 0 destroyed");
    for (const i of instanceIds) expect(await env.cloud.sortedGroupsOf(i)).toEqual(["sg-base", ...groupIds]);
    const calls = await env.cloud.calls();
    expect(calls.some((c) => c.code && c.code.startsWith("Throttling"))).toBe(true);
    await env.cloud.clearFaults();
    expectExit(await env.ws.plan(), 0);
  });

  test("a wrong secret fails with SignatureDoesNotMatch, and no secret appears in any output, even with TF_LOG=trace", async () => {
    const wrong = "wrong-secret-Kp3Lm9";
    env.ws.configure(attachments({ x: ["i-node0", "sg-g0"] }), { secret_key: wrong });
    await env.ws.init();
    const plan = await env.ws.terraform(["plan", "-no-color"], { TF_LOG: "trace" });
    expect(plan.code).toBe(1);
    expect(plan.output).toContain("SignatureDoesNotMatch");
    expect(plan.output).not.toContain(wrong);
    expect(plan.output).not.toContain(SECRET);
    expect(await env.cloud.changes()).toEqual([]);
  });

  test("with an STS token: a trace-logged apply keeps the secret and the token out of the output and the state", async () => {
    const token = "sts-token-Hq7Wd2";
    const sts = { accessKeyId: "sts-key", accessKeySecret: "sts-secret-Rt5Yu8", securityToken: token };
    await env.cloud.replaceState({
      ...world(),
      accessKeys: [{ accessKeyId: ACCESS_KEY, accessKeySecret: SECRET }, sts],
    });
    env.ws.configure(attachments({ x: ["i-node1", "sg-g1"] }), {
      access_key: sts.accessKeyId,
      secret_key: sts.accessKeySecret,
      security_token: token,
    });
    await env.ws.init();
    const apply = await env.ws.terraform(["apply", "-no-color", "-auto-approve"], { TF_LOG: "trace" });
    expectExit(apply, 0);
    expect(await env.cloud.changes()).toEqual(["Join i-node1 sg-g1"]);
    const state = readFileSync(join(env.ws.dir, "terraform.tfstate"), "utf8");
    for (const text of [apply.output, state]) {
      expect(text).not.toContain(sts.accessKeySecret);
      expect(text).not.toContain(token);
    }
  });
});
