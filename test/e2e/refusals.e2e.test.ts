import { OTHER_NODES } from "../support/node-matrix";
import { attachments, expectExit, seed, useCloud } from "./harness";

// Plan-time refusals: terraform plan fails with the ECS code and no change reaches the API.
jest.setTimeout(180_000);

const world = () =>
  seed(
    [
      { instanceId: "i-last", securityGroupIds: ["sg-a"] },
      { instanceId: "i-two", securityGroupIds: ["sg-a", "sg-b"] },
      { instanceId: "i-stopping", status: "Stopping", securityGroupIds: ["sg-a"] },
      { instanceId: "i-starting", status: "Starting", securityGroupIds: ["sg-a"] },
      { instanceId: "i-pending", status: "Pending", securityGroupIds: ["sg-a"] },
      { instanceId: "i-locked", securityGroupIds: ["sg-a"], lockReasons: ["security"] },
      { instanceId: "i-ok", securityGroupIds: ["sg-a"] },
    ],
    ["sg-a", "sg-b", "sg-c", { securityGroupId: "sg-far", vpcId: "vpc-other" }],
  );

type Env = ReturnType<typeof useCloud>;

async function importAll(env: Env, pairs: Record<string, [string, string]>): Promise<void> {
  env.ws.configure(attachments(pairs));
  await env.ws.init();
  for (const [name, [i, g]] of Object.entries(pairs)) {
    expectExit(await env.ws.terraform(["import", "-no-color", `alisg_attachment.${name}`, `${i}:${g}`]), 0);
  }
  await env.cloud.clearCalls();
}

const LAST_GROUP =
  "removing the block of an instance's last group fails plan and apply with InstanceLastSecurityGroup, and calls nothing";

async function refusesRemovingTheLastGroup(env: Env): Promise<void> {
  await importAll(env, { last: ["i-last", "sg-a"] });
  env.ws.configure({});
  const plan = await env.ws.plan();
  expectExit(plan, 1);
  expect(plan.output).toMatch(
    /Error: InstanceLastSecurityGroup: .*sg-a.*i-last|Error: InstanceLastSecurityGroup: .*i-last.*sg-a/,
  );
  const apply = await env.ws.apply();
  expectExit(apply, 1);
  expect(apply.output).toContain("InstanceLastSecurityGroup");
  expect(await env.cloud.changes()).toEqual([]);
  expect(await env.cloud.sortedGroupsOf("i-last")).toEqual(["sg-a"]);
}

// The heart of the product on the other Node.js releases too (the rest of this file runs on the
// Node.js running jest; test/e2e/attachment-lifecycle.e2e.test.ts runs the whole lifecycle on each).
describe.each(OTHER_NODES)("a plan-time refusal, the provider on Node.js $major", (node) => {
  const env = useCloud(world, { providerNode: node });
  test(LAST_GROUP, () => refusesRemovingTheLastGroup(env));
});

describe("plan-time refusals with real terraform", () => {
  const env = useCloud(world);

  test(LAST_GROUP, () => refusesRemovingTheLastGroup(env));

  test("two removals that together would empty an instance are refused at plan", async () => {
    await importAll(env, { a: ["i-two", "sg-a"], b: ["i-two", "sg-b"] });
    env.ws.configure({});
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    expect(plan.output).toContain("InstanceLastSecurityGroup");
    expect(plan.output).toContain("i-two");
    expect(await env.cloud.changes()).toEqual([]);

    // Destroy is planned too (plan_destroy) and refused the same way.
    const destroy = await env.ws.terraform(["destroy", "-no-color", "-auto-approve"]);
    expectExit(destroy, 1);
    expect(destroy.output).toContain("InstanceLastSecurityGroup");
    expect(await env.cloud.sortedGroupsOf("i-two")).toEqual(["sg-a", "sg-b"]);
  });

  test("apply re-checks right before the call: a saved plan whose instance started stopping since is refused, nothing changes", async () => {
    env.ws.configure(attachments({ x: ["i-ok", "sg-b"] }));
    await env.ws.init();
    expectExit(await env.ws.plan(["-out", "saved.tfplan"]), 2);
    await env.cloud.patchInstance("i-ok", { status: "Stopping" });
    const apply = await env.ws.terraform(["apply", "-no-color", "saved.tfplan"]);
    expectExit(apply, 1);
    expect(apply.output).toContain("Error: IncorrectInstanceStatus: ");
    expect(await env.cloud.changes()).toEqual([]);
    const list = await env.ws.terraform(["state", "list"]);
    expect(list.stdout.trim()).toBe("");
  });

  test("changing instance_id replaces the attachment: leave on the old instance, join on the new one", async () => {
    await importAll(env, { x: ["i-two", "sg-b"] });
    env.ws.configure(attachments({ x: ["i-ok", "sg-b"] }));
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(plan.stdout).toContain("must be replaced");
    expectExit(await env.ws.apply(), 0);
    expect((await env.cloud.changes()).sort()).toEqual(["Join i-ok sg-b", "Leave i-two sg-b"]);
    expect(await env.cloud.sortedGroupsOf("i-two")).toEqual(["sg-a"]);
    expect(await env.cloud.sortedGroupsOf("i-ok")).toEqual(["sg-a", "sg-b"]);
  });

  test.each([
    ["i-stopping", "IncorrectInstanceStatus"],
    ["i-starting", "IncorrectInstanceStatus"],
    ["i-pending", "IncorrectInstanceStatus"],
    ["i-locked", "InstanceLockedForSecurity"],
  ])("joining with %s is refused at plan with %s", async (instanceId, code) => {
    env.ws.configure(attachments({ x: [instanceId, "sg-b"] }));
    await env.ws.init();
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    expect(plan.output).toContain(`Error: ${code}: `);
    expect(plan.output).toContain(instanceId);
    expect(await env.cloud.changes()).toEqual([]);
  });

  test.each([
    ["a group in another VPC", ["i-ok", "sg-far"], "InvalidInstanceId.Mismatch"],
    ["a group that does not exist", ["i-ok", "sg-nope"], "InvalidSecurityGroupId.NotFound"],
    ["an instance that does not exist", ["i-nope", "sg-b"], "InvalidInstanceId.NotFound"],
    ["a malformed instance ID", ["i ok", "sg-b"], "InvalidInstanceId.Malformed"],
    ["a malformed group ID", ["i-ok", "sg-b;"], "InvalidSecurityGroupId.Malformed"],
  ])("joining %s is refused at plan", async (_what, pair, code) => {
    env.ws.configure(attachments({ x: pair as [string, string] }));
    await env.ws.init();
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    expect(plan.output).toContain(`Error: ${code}: `);
    expect(await env.cloud.changes()).toEqual([]);
  });
});
