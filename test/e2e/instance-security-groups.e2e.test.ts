import { Cloud, expectExit, seed, Workspace } from "./harness";

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
  let cloud: Cloud;
  let ws: Workspace;

  beforeAll(async () => {
    cloud = await Cloud.start(world());
  });
  afterAll(async () => {
    await cloud.close();
  });
  beforeEach(async () => {
    await cloud.replaceState(world());
    await cloud.clearCalls();
    ws = new Workspace(cloud);
  });
  afterEach(() => ws.cleanup());

  test("joins missing groups before leaving unlisted ones; a group joined out of band is left on the next apply", async () => {
    ws.configure(groupsOf(["sg-base", "sg-db"]));
    await ws.init();
    expectExit(await ws.apply(), 0);
    expect(await cloud.changes()).toEqual(["Join i-db1 sg-db", "Leave i-db1 sg-legacy"]);
    expect(await cloud.groupsOf("i-db1")).toEqual(["sg-base", "sg-db"]);
    expectExit(await ws.plan(), 0);

    await cloud.clearCalls();
    await cloud.patchInstance("i-db1", { securityGroupIds: ["sg-base", "sg-db", "sg-rogue"] });
    const plan = await ws.plan();
    expectExit(plan, 2);
    expect(plan.stdout).toContain("sg-rogue");
    expectExit(await ws.apply(), 0);
    expect(await cloud.changes()).toEqual(["Leave i-db1 sg-rogue"]);

    await cloud.clearCalls();
    ws.configure(groupsOf(["sg-backup"]));
    expectExit(await ws.apply(), 0);
    expect(await cloud.changes()).toEqual([
      "Join i-db1 sg-backup",
      "Leave i-db1 sg-base",
      "Leave i-db1 sg-db",
    ]);
    expect(await cloud.groupsOf("i-db1")).toEqual(["sg-backup"]);

    // Removing the resource forgets it: the instance keeps its groups.
    await cloud.clearCalls();
    ws.configure({});
    expectExit(await ws.apply(), 0);
    expect(await cloud.changes()).toEqual([]);
    expect(await cloud.groupsOf("i-db1")).toEqual(["sg-backup"]);
  });

  test("an empty set is refused at validate, before any call", async () => {
    ws.configure(groupsOf([]));
    await ws.init();
    const validate = await ws.terraform(["validate", "-no-color"]);
    expectExit(validate, 1);
    expect(validate.output).toContain("InstanceLastSecurityGroup");
    expect(await cloud.calls()).toEqual([]);
  });
});
