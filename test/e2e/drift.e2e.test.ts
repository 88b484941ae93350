import { attachments, expectExit, seed, useCloud } from "./harness";

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
  const env = useCloud(world);
  beforeEach(async () => {
    env.ws.configure(attachments({ one: ["i-app1", "sg-app"], two: ["i-app2", "sg-app"] }));
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.clearCalls();
  });

  test("an out-of-band leave shows as a re-create, apply restores it, the next plan is clean", async () => {
    await env.cloud.patchInstance("i-app1", { securityGroupIds: ["sg-base"] });
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(plan.stdout).toContain("alisg_attachment.one will be created");
    expect(plan.stdout).toContain("1 to add, 0 to change, 0 to destroy");
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual(["Join i-app1 sg-app"]);
    expect(await env.cloud.sortedGroupsOf("i-app1")).toEqual(["sg-app", "sg-base"]);
    expectExit(await env.ws.plan(), 0);
  });

  test("an instance deleted out of band: its attachment leaves the state without error", async () => {
    const state = (await (await fetch(`${env.cloud.url}/_emulator/state`)).json()) as {
      instances: { instanceId: string }[];
    };
    await env.cloud.replaceState({
      ...state,
      instances: state.instances.filter((i) => i.instanceId !== "i-app2"),
    });
    const refresh = await env.ws.terraform(["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    expectExit(refresh, 0);
    const list = await env.ws.terraform(["state", "list"]);
    expect(list.stdout.trim().split("\n")).toEqual(["alisg_attachment.one"]);

    // Removing the block afterwards calls nothing either.
    env.ws.configure(attachments({ one: ["i-app1", "sg-app"] }));
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual([]);
  });
});
