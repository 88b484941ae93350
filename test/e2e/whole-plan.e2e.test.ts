import { attachments, expectExit, headlines, seed, useCloud } from "./harness";

// The refactors people make every day, with real terraform against the emulator:
// the changes of one plan are judged together, and the state stays true in whatever
// order Terraform applies them.
jest.setTimeout(240_000);

const world = () =>
  seed(
    [
      { instanceId: "i-solo", securityGroupIds: ["sg-only"] },
      { instanceId: "i-two", securityGroupIds: ["sg-base", "sg-web"] },
      { instanceId: "i-list", securityGroupIds: ["sg-base", "sg-a", "sg-b", "sg-c"] },
      { instanceId: "i-db", securityGroupIds: ["sg-base", "sg-legacy", "sg-ops"] },
    ],
    ["sg-only", "sg-base", "sg-web", "sg-a", "sg-b", "sg-c", "sg-db", "sg-legacy", "sg-ops"],
  );

describe("whole-plan judging with real terraform", () => {
  const env = useCloud(world);

  /** Applies `config`, then checks the next plan is clean and nothing more is called. */
  async function settled(): Promise<void> {
    await env.cloud.clearCalls();
    expectExit(await env.ws.plan(), 0);
    expect(await env.cloud.changes()).toEqual([]);
  }

  test("renaming an attachment of an instance's only group is refused as a hand-off, and a moved block makes it a no-op", async () => {
    env.ws.configure(attachments({ old: ["i-solo", "sg-only"] }));
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.clearCalls();

    env.ws.configure(attachments({ renamed: ["i-solo", "sg-only"] }));
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    const errors = headlines(plan, "Error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^InstanceLastSecurityGroup: sg-only of i-solo is handed from .* \(a rename, a count index shift or a replacement\)/,
    );
    expect(plan.output).toContain("moved block");
    expect(plan.output).not.toContain("removing sg-only from i-solo would leave it");
    expect(await env.cloud.changes()).toEqual([]);

    env.ws.configure(
      attachments({ renamed: ["i-solo", "sg-only"] }),
      {},
      {
        moved: [{ from: "alisg_attachment.old", to: "alisg_attachment.renamed" }],
      },
    );
    const moved = await env.ws.apply();
    expectExit(moved, 0);
    expect(moved.stdout).toContain("0 added, 0 changed, 0 destroyed");
    expect(await env.cloud.changes()).toEqual([]);
    expect(await env.cloud.sortedGroupsOf("i-solo")).toEqual(["sg-only"]);
    await settled();
  });

  test("renaming an attachment of a group that is not the last warns of the hand-off, and the apply leaves the instance in the group", async () => {
    env.ws.configure(attachments({ old: ["i-two", "sg-web"] }));
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.clearCalls();

    env.ws.configure(attachments({ renamed: ["i-two", "sg-web"] }));
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    const warnings = headlines(plan, "Warning");
    expect(warnings).toEqual([expect.stringMatching(/^MembershipHandOff: sg-web of i-two is handed from /)]);
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(apply.stdout).toContain("1 added, 0 changed, 1 destroyed");
    expect(await env.cloud.sortedGroupsOf("i-two")).toEqual(["sg-base", "sg-web"]);
    // Whatever order Terraform picked, the state is true: the new resource holds the membership.
    // Created first, it adopts the pair (a warning, no call) and the removal makes no Leave;
    // removed first, the pair is left and joined again (the moment the plan warned of).
    const changes = await env.cloud.changes();
    const adopted = headlines(apply, "Warning").filter((w) => w.startsWith("Already a member: ")).length;
    expect({ changes, adopted }).toEqual(
      changes.length === 0
        ? { changes: [], adopted: 1 }
        : { changes: ["Leave i-two sg-web", "Join i-two sg-web"], adopted: 0 },
    );
    await settled();
  });

  test("dropping the middle element of a count list hands pairs between indices and ends true", async () => {
    const counted = (groups: string[]) => ({
      alisg_attachment: {
        member: {
          count: groups.length,
          instance_id: "i-list",
          security_group_id: `\${element(${JSON.stringify(groups)}, count.index)}`,
        },
      },
    });
    env.ws.configure(counted(["sg-a", "sg-b", "sg-c"]));
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.clearCalls();

    env.ws.configure(counted(["sg-a", "sg-c"]));
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(headlines(plan, "Warning")).toEqual([
      expect.stringMatching(/^MembershipHandOff: sg-c of i-list is handed from /),
    ]);
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.sortedGroupsOf("i-list")).toEqual(["sg-a", "sg-base", "sg-c"]);
    expect(await env.cloud.changes()).toContain("Leave i-list sg-b");
    await settled();
  });

  test.each([
    ["without create_before_destroy", {}],
    ["with create_before_destroy", { lifecycle: { create_before_destroy: true } }],
  ])("-replace %s keeps the membership and the state true, with no Leave", async (_name, extra) => {
    env.ws.configure({
      alisg_attachment: {
        solo: { instance_id: "i-solo", security_group_id: "sg-only", ...extra },
        web: { instance_id: "i-two", security_group_id: "sg-web", ...extra },
      },
    });
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.clearCalls();

    const replaced = await env.ws.apply(["-replace=alisg_attachment.solo", "-replace=alisg_attachment.web"]);
    expectExit(replaced, 0);
    expect(replaced.stdout).toContain("2 added, 0 changed, 2 destroyed");
    expect(await env.cloud.changes()).toEqual([]);
    expect(await env.cloud.sortedGroupsOf("i-solo")).toEqual(["sg-only"]);
    expect(await env.cloud.sortedGroupsOf("i-two")).toEqual(["sg-base", "sg-web"]);
    await settled();
  });

  test("the same pair in two resources is refused as DuplicateAttachment in plain Terraform", async () => {
    env.ws.configure(attachments({ one: ["i-two", "sg-db"], two: ["i-two", "sg-db"] }));
    await env.ws.init();
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    expect(headlines(plan, "Error")).toEqual([
      expect.stringMatching(/^DuplicateAttachment: i-two:sg-db is declared by 2 alisg_attachment resources/),
    ]);
    expect(await env.cloud.changes()).toEqual([]);
  });

  test("an attachment and an authoritative set on one instance are refused as MixedMembershipResources", async () => {
    env.ws.configure({
      alisg_attachment: { web: { instance_id: "i-two", security_group_id: "sg-web" } },
      alisg_instance_security_groups: {
        two: { instance_id: "i-two", security_group_ids: ["sg-base", "sg-web"] },
      },
    });
    await env.ws.init();
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    expect(headlines(plan, "Error")).toEqual([
      expect.stringMatching(
        /^MixedMembershipResources: i-two is governed by both an alisg_instance_security_groups/,
      ),
    ]);
    expect(await env.cloud.changes()).toEqual([]);
  });

  test("creating an authoritative set warns at plan time which unlisted groups the apply will leave", async () => {
    env.ws.configure({
      alisg_instance_security_groups: {
        db: { instance_id: "i-db", security_group_ids: ["sg-base", "sg-db"] },
      },
    });
    await env.ws.init();
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(headlines(plan, "Warning")).toEqual([
      "UnlistedSecurityGroups: applying a new alisg_instance_security_groups for i-db will make i-db leave sg-legacy and sg-ops, which it does not list",
    ]);
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect((await env.cloud.changes()).sort()).toEqual([
      "Join i-db sg-db",
      "Leave i-db sg-legacy",
      "Leave i-db sg-ops",
    ]);
    expect(await env.cloud.sortedGroupsOf("i-db")).toEqual(["sg-base", "sg-db"]);
    await settled();
  });
});
