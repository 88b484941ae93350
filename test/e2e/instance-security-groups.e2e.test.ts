import { expectExit, seed, useCloud } from "./harness";

// The authoritative resource: the listed set is the whole truth for the instance.
jest.setTimeout(180_000);

const world = () =>
  seed(
    [{ instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-legacy"] }],
    ["sg-base", "sg-db", "sg-legacy", "sg-rogue", "sg-backup"],
  );

const groupsOf = (ids: string[]) => ({
  alisg_instance_security_groups: { db: { instance_id: "i-db1", security_group_ids: ids } },
});

describe("alisg_instance_security_groups with real terraform", () => {
  const env = useCloud(world);

  test("joins missing groups before leaving unlisted ones; a group joined out of band is left on the next apply", async () => {
    env.ws.configure(groupsOf(["sg-base", "sg-db"]));
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual(["Join i-db1 sg-db", "Leave i-db1 sg-legacy"]);
    expect(await env.cloud.sortedGroupsOf("i-db1")).toEqual(["sg-base", "sg-db"]);
    expectExit(await env.ws.plan(), 0);

    await env.cloud.clearCalls();
    await env.cloud.patchInstance("i-db1", { securityGroupIds: ["sg-base", "sg-db", "sg-rogue"] });
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(plan.stdout).toContain("sg-rogue");
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual(["Leave i-db1 sg-rogue"]);

    await env.cloud.clearCalls();
    env.ws.configure(groupsOf(["sg-backup"]));
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual([
      "Join i-db1 sg-backup",
      "Leave i-db1 sg-base",
      "Leave i-db1 sg-db",
    ]);
    expect(await env.cloud.sortedGroupsOf("i-db1")).toEqual(["sg-backup"]);

    // Removing the resource forgets it: the instance keeps its groups.
    await env.cloud.clearCalls();
    env.ws.configure({});
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual([]);
    expect(await env.cloud.sortedGroupsOf("i-db1")).toEqual(["sg-backup"]);
  });

  test("an empty set is refused at validate, before any call", async () => {
    env.ws.configure(groupsOf([]));
    await env.ws.init();
    const validate = await env.ws.terraform(["validate", "-no-color"]);
    expectExit(validate, 1);
    expect(validate.output).toContain("InstanceLastSecurityGroup");
    expect(await env.cloud.calls()).toEqual([]);
  });
});
