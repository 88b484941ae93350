import { createServer } from "node:net";
import { attachments, Cloud, expectExit, seed, useCloud, type RunResult } from "./harness";

// Real ECS behaviour the provider must survive: RAM policies, minute-long throttling, dead endpoints.
jest.setTimeout(240_000);

const instanceIds = ["i-a1", "i-a2", "i-a3"];
const world = () =>
  seed(
    instanceIds.map((instanceId) => ({ instanceId, securityGroupIds: ["sg-base"] })),
    ["sg-base", "sg-web"],
  );

const three = () => attachments({ a1: ["i-a1", "sg-web"], a2: ["i-a2", "sg-web"], a3: ["i-a3", "sg-web"] });

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe("RAM, throttling and dead endpoints with real terraform", () => {
  const env = useCloud(() => world());

  const stateList = async (): Promise<string[]> => {
    const r = await env.ws.terraform(["state", "list"]);
    expectExit(r, 0);
    return r.stdout.split("\n").filter(Boolean).sort();
  };

  test("Forbidden.RAM on Describe during apply -refresh-only keeps every resource in state", async () => {
    env.ws.configure(three());
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.restrictKeys(["JoinSecurityGroup", "LeaveSecurityGroup"]);
    const r = await env.ws.apply(["-refresh-only"]);
    expect(r.code).toBe(1);
    expect(r.output).toContain("Forbidden.RAM");
    expect(r.output).toContain("may not call ecs:DescribeInstances");
    expect(await stateList()).toEqual(["alisg_attachment.a1", "alisg_attachment.a2", "alisg_attachment.a3"]);
    // Planning a new attachment needs Describe too: a clear error, not a provider failure.
    env.ws.configure({
      alisg_attachment: {
        ...three().alisg_attachment,
        b1: { instance_id: "i-a1", security_group_id: "sg-base" },
      },
    });
    const plan = await env.ws.plan(["-refresh=false"]);
    expect(plan.code).toBe(1);
    expect(plan.output).toContain("may not call ecs:DescribeInstances");
    expect(plan.output).not.toContain("The provider failed while handling");
  });

  test("Forbidden.RAM on Leave keeps the attachment in state and the group on the instance", async () => {
    env.ws.configure(attachments({ a1: ["i-a1", "sg-web"] }));
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.restrictKeys(["Describe*"]);
    env.ws.configure({});
    const r = await env.ws.apply();
    expect(r.code).toBe(1);
    expect(r.output).toContain("Forbidden.RAM");
    expect(r.output).toContain("may not call ecs:LeaveSecurityGroup");
    expect(await stateList()).toEqual(["alisg_attachment.a1"]);
    expect(await env.cloud.sortedGroupsOf("i-a1")).toEqual(["sg-base", "sg-web"]);
  });

  test("a throttle of every call for the scaled equivalent of 65 s is outlasted with default settings", async () => {
    // ALISG_RETRY_SCALE=0.1 scales every backoff delay by 0.1; a 6.5 s window is then the same
    // arithmetic as a 65 s window at full scale (test/ecs/client.test.ts checks that one on a fake clock).
    env.ws.configure(three(), { max_retries: undefined });
    await env.ws.init();
    await env.cloud.setFaults({ throttleForMs: 6_500 });
    const started = Date.now();
    const r = await env.ws.terraform(["apply", "-no-color", "-auto-approve"], { ALISG_RETRY_SCALE: "0.1" });
    expectExit(r, 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(6_500);
    expect(r.stdout).toContain("3 added, 0 changed, 0 destroyed");
    for (const i of instanceIds) expect(await env.cloud.sortedGroupsOf(i)).toEqual(["sg-base", "sg-web"]);
    expect((await env.cloud.calls()).filter((c) => c.code === "Throttling.User").length).toBeGreaterThan(3);
  });

  test('timeouts { delete = "3s" } gives up at the deadline with a clear error; the state keeps the attachment', async () => {
    env.ws.configure(
      attachments({ a1: { instance_id: "i-a1", security_group_id: "sg-web", timeouts: { delete: "3s" } } }),
    );
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    const plan = await env.ws.terraform(["plan", "-no-color", "-destroy", "-out", "destroy.tfplan"]);
    expectExit(plan, 0);
    await env.cloud.setFaults({ throttleForMs: 600_000 });
    const started = Date.now();
    const r = await env.ws.terraform(["apply", "-no-color", "destroy.tfplan"]);
    const elapsed = Date.now() - started;
    expect(r.code).toBe(1);
    expect(r.output).toContain('gave up at the deadline (timeouts.delete = "3s")');
    // Only the deadline ends it (the throttle lasts 10 minutes); how long it took is printed, not asserted.
    await env.cloud.clearFaults();
    expect(await stateList()).toEqual(["alisg_attachment.a1"]);
    expect(await env.cloud.sortedGroupsOf("i-a1")).toEqual(["sg-base", "sg-web"]);
    process.stdout.write(`delete timeout 3s: terraform apply failed after ${elapsed} ms\n`);
  });

  test("a killed endpoint gives one clear error naming it", async () => {
    env.ws.configure(three());
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    // The endpoint dies: nothing listens on its port any more.
    const dead = await freePort();
    env.ws.configure(three(), { endpoint: `http://127.0.0.1:${dead}` });
    const started = Date.now();
    const r: RunResult = await env.ws.plan();
    const elapsed = Date.now() - started;
    expect(r.code).toBe(1);
    expect(count(r.output, `cannot connect to the ECS endpoint http://127.0.0.1:${dead}`)).toBe(1);
    expect(count(r.output, "ECONNREFUSED")).toBe(1);
    process.stdout.write(`killed endpoint: terraform plan failed after ${elapsed} ms\n${r.output}\n`);
    // New attachments planned without a refresh: the plan-time checks meet the dead endpoint.
    env.ws.configure(
      {
        alisg_attachment: {
          ...three().alisg_attachment,
          b1: { instance_id: "i-a1", security_group_id: "sg-x" },
          b2: { instance_id: "i-a2", security_group_id: "sg-x" },
        },
      },
      { endpoint: `http://127.0.0.1:${dead}` },
    );
    const creates = await env.ws.plan(["-refresh=false"]);
    expect(creates.code).toBe(1);
    expect(count(creates.output, `cannot connect to the ECS endpoint http://127.0.0.1:${dead}`)).toBe(1);
    expect(creates.output).not.toContain("The provider failed while handling");
  });

  test("terraform validate names max_security_groups_per_instance, max_retries and a bad timeouts value", async () => {
    env.ws.configure(
      attachments({
        a1: { instance_id: "i-a1", security_group_id: "sg-web", timeouts: { delete: "3 seconds" } },
      }),
      { max_retries: 1000, max_security_groups_per_instance: 0 },
    );
    await env.ws.init();
    const r = await env.ws.terraform(["validate", "-no-color"]);
    expect(r.code).toBe(1);
    expect(r.output).toContain("Invalid max_retries");
    expect(r.output).toContain("max_retries must be a whole number from 0 to 100, not 1000.");
    expect(r.output).toContain("Invalid max_security_groups_per_instance");
    // With the provider block fixed, the resource's timeouts are judged.
    env.ws.configure(
      attachments({
        a1: { instance_id: "i-a1", security_group_id: "sg-web", timeouts: { delete: "3 seconds" } },
      }),
    );
    const again = await env.ws.terraform(["validate", "-no-color"]);
    expect(again.code).toBe(1);
    expect(again.output).toContain("Invalid timeouts.delete");
    expect(again.output).toContain('"3 seconds" is not a positive duration');
    expect(await env.cloud.calls()).toEqual([]);
  });

  test("a timeouts block on alisg_instance_security_groups is kept in state: apply, then a clean plan", async () => {
    env.ws.configure({
      alisg_instance_security_groups: {
        a1: { instance_id: "i-a1", security_group_ids: ["sg-base", "sg-web"], timeouts: { create: "2m" } },
      },
    });
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.sortedGroupsOf("i-a1")).toEqual(["sg-base", "sg-web"]);
    expectExit(await env.ws.plan(), 0);
  });

  test("an endpoint killed mid-apply gives one clear error naming it; the others point to it", async () => {
    const pairs: Record<string, [string, string]> = {};
    for (const i of instanceIds)
      for (const g of ["sg-web", "sg-x1", "sg-x2", "sg-x3"]) pairs[`${i}_${g}`.replace(/-/g, "_")] = [i, g];
    const doomed = await Cloud.start(
      seed(
        instanceIds.map((instanceId) => ({ instanceId, securityGroupIds: ["sg-base"] })),
        ["sg-base", "sg-web", "sg-x1", "sg-x2", "sg-x3"],
      ),
    );
    try {
      env.ws.configure(attachments(pairs), { endpoint: doomed.url });
      await env.ws.init();
      await doomed.setFaults({ latencyMs: 400 });
      const started = Date.now();
      const applying = env.ws.apply();
      // Kill it once the apply is under way (joins queue per instance at 400 ms each).
      while ((await doomed.changes()).length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
      await doomed.close();
      const r = await applying;
      const elapsed = Date.now() - started;
      expect(r.code).toBe(1);
      expect(count(r.output, `cannot connect to the ECS endpoint ${doomed.url}`)).toBe(1);
      const errors = r.output.split("\n").filter((line) => line.startsWith("Error: "));
      for (const line of errors) expect(line).toMatch(/^Error: EndpointUnreachable: /);
      process.stdout.write(
        `killed mid-apply: terraform apply failed after ${elapsed} ms with ${errors.length} errors:\n${errors.join("\n")}\n`,
      );
    } finally {
      await doomed.close();
    }
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
