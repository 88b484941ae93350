import { attachments, Cloud, expectExit, seed, Workspace } from "./harness";

// Out-of-band changes: a membership left behind Terraform's back, an instance deleted.
jest.setTimeout(180_000);

const world = () =>
  seed(
    [
      { instanceId: "i-app1", securityGroupIds: ["sg-base"] },
      { instanceId: "i-app2", securityGroupIds: ["sg-base"] },
    ],
    ["sg-base", "sg-app"],
  );

describe("drift correction with real terraform", () => {
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
    ws.configure(attachments({ one: ["i-app1", "sg-app"], two: ["i-app2", "sg-app"] }));
    await ws.init();
    expectExit(await ws.apply(), 0);
    await cloud.clearCalls();
  });
  afterEach(() => ws.cleanup());

  test("an out-of-band leave shows as a re-create, apply restores it, the next plan is clean", async () => {
    await cloud.patchInstance("i-app1", { securityGroupIds: ["sg-base"] });
    const plan = await ws.plan();
    expectExit(plan, 2);
    expect(plan.stdout).toContain("alisg_attachment.one will be created");
    expect(plan.stdout).toContain("1 to add, 0 to change, 0 to destroy");
    expectExit(await ws.apply(), 0);
    expect(await cloud.changes()).toEqual(["Join i-app1 sg-app"]);
    expect(await cloud.groupsOf("i-app1")).toEqual(["sg-app", "sg-base"]);
    expectExit(await ws.plan(), 0);
  });

  test("an instance deleted out of band: its attachment leaves the state without error", async () => {
    const state = (await (await fetch(`${cloud.url}/_emulator/state`)).json()) as {
      instances: { instanceId: string }[];
    };
    await cloud.replaceState({
      ...state,
      instances: state.instances.filter((i) => i.instanceId !== "i-app2"),
    });
    const refresh = await ws.terraform(["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    expectExit(refresh, 0);
    const list = await ws.terraform(["state", "list"]);
    expect(list.stdout.trim().split("\n")).toEqual(["alisg_attachment.one"]);

    // Removing the block afterwards calls nothing either.
    ws.configure(attachments({ one: ["i-app1", "sg-app"] }));
    expectExit(await ws.apply(), 0);
    expect(await cloud.changes()).toEqual([]);
  });
});
