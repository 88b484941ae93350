import type { EmulatorSeed } from "../../src/emulator/server";
import { attachments, expectExit, seed, useCloud } from "./harness";

// Real terraform against the emulator: the ENI resources' join, leave, move, authoritative set,
// import and drift correction, the last group refused at plan, and an instance-level and a
// primary-ENI attachment of one pair refused.
jest.setTimeout(180_000);

const world = (): EmulatorSeed => ({
  ...seed(
    [
      { instanceId: "i-web1", securityGroupIds: ["sg-base"] },
      { instanceId: "i-web2", securityGroupIds: ["sg-base"] },
    ],
    ["sg-base", "sg-web", "sg-db", "sg-tenant"],
  ),
  networkInterfaces: [
    { networkInterfaceId: "eni-web1p", instanceId: "i-web1", type: "Primary" },
    { networkInterfaceId: "eni-web1b", instanceId: "i-web1", securityGroupIds: ["sg-base"] },
    { networkInterfaceId: "eni-web2b", instanceId: "i-web2", securityGroupIds: ["sg-base", "sg-web"] },
  ],
});

const eniAttachments = (pairs: Record<string, [string, string]>) => ({
  alisg_network_interface_attachment: Object.fromEntries(
    Object.entries(pairs).map(([name, [eni, group]]) => [
      name,
      { network_interface_id: eni, security_group_id: group },
    ]),
  ),
});

describe("ENI resources with real terraform", () => {
  const env = useCloud(world);

  test("joins a secondary ENI's group, plans clean, and leaves it when the block is removed", async () => {
    env.ws.configure(eniAttachments({ tenant: ["eni-web1b", "sg-tenant"] }));
    await env.ws.init();
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(apply.stdout).toContain("1 added, 0 changed, 0 destroyed");
    expect(await env.cloud.changes()).toEqual(["Join eni-web1b sg-tenant"]);
    expect((await env.cloud.calls()).find((c) => c.action === "JoinSecurityGroup")?.params).toEqual({
      RegionId: "cn-hangzhou",
      NetworkInterfaceId: "eni-web1b",
      SecurityGroupId: "sg-tenant",
    });
    expect(await env.cloud.networkInterfaceGroupsOf("eni-web1b")).toEqual(["sg-base", "sg-tenant"]);
    expect(await env.cloud.groupsOf("i-web1")).toEqual(["sg-base"]);

    await env.cloud.clearCalls();
    expectExit(await env.ws.plan(), 0);
    expect(await env.cloud.changes()).toEqual([]);

    env.ws.configure({});
    const removal = await env.ws.apply();
    expectExit(removal, 0);
    expect(removal.stdout).toContain("0 added, 0 changed, 1 destroyed");
    expect(await env.cloud.changes()).toEqual(["Leave eni-web1b sg-tenant"]);
  });

  test("refuses at plan to remove an ENI's last group; nothing is called", async () => {
    env.ws.configure(eniAttachments({ base: ["eni-web1b", "sg-base"] }));
    await env.ws.init();
    expectExit(
      await env.ws.terraform([
        "import",
        "-no-color",
        "alisg_network_interface_attachment.base",
        "eni-web1b:sg-base",
      ]),
      0,
    );
    await env.cloud.clearCalls();
    env.ws.configure({});
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    expect(plan.output).toMatch(/Error: InstanceLastSecurityGroup: .*eni-web1b/);
    expect(await env.cloud.changes()).toEqual([]);
  });

  test("moves an ENI's only group in place after an import: join the new one, then leave the old one", async () => {
    env.ws.configure(eniAttachments({ only: ["eni-web1b", "sg-base"] }));
    await env.ws.init();
    expectExit(
      await env.ws.terraform([
        "import",
        "-no-color",
        "alisg_network_interface_attachment.only",
        "eni-web1b:sg-base",
      ]),
      0,
    );
    await env.cloud.clearCalls();
    env.ws.configure(eniAttachments({ only: ["eni-web1b", "sg-db"] }));
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(apply.stdout).toContain("0 added, 1 changed, 0 destroyed");
    expect(await env.cloud.changes()).toEqual(["Join eni-web1b sg-db", "Leave eni-web1b sg-base"]);
    expect(await env.cloud.networkInterfaceGroupsOf("eni-web1b")).toEqual(["sg-db"]);
    expectExit(await env.ws.plan(), 0);
  });

  test("an authoritative set joins what it lists, leaves the rest (warned at plan), and imports by the ENI ID", async () => {
    const set = {
      alisg_network_interface_security_groups: {
        wan: { network_interface_id: "eni-web2b", security_group_ids: ["sg-db"] },
      },
    };
    env.ws.configure(set);
    await env.ws.init();
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(plan.output).toContain("Warning: UnlistedSecurityGroups: ");
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(await env.cloud.changes()).toEqual([
      "Join eni-web2b sg-db",
      "Leave eni-web2b sg-base",
      "Leave eni-web2b sg-web",
    ]);
    expect(await env.cloud.networkInterfaceGroupsOf("eni-web2b")).toEqual(["sg-db"]);

    // Forgotten and adopted again by import: the plan is clean and nothing is called.
    expectExit(
      await env.ws.terraform(["state", "rm", "-no-color", "alisg_network_interface_security_groups.wan"]),
      0,
    );
    await env.cloud.clearCalls();
    expectExit(
      await env.ws.terraform([
        "import",
        "-no-color",
        "alisg_network_interface_security_groups.wan",
        "eni-web2b",
      ]),
      0,
    );
    expectExit(await env.ws.plan(), 0);
    expect(await env.cloud.changes()).toEqual([]);
  });

  test("drift corrected: a group taken off the ENI out of band is joined again by the next apply", async () => {
    env.ws.configure(eniAttachments({ web: ["eni-web2b", "sg-web"] }));
    await env.ws.init();
    expectExit(
      await env.ws.terraform([
        "import",
        "-no-color",
        "alisg_network_interface_attachment.web",
        "eni-web2b:sg-web",
      ]),
      0,
    );
    await env.cloud.patchNetworkInterface("eni-web2b", { securityGroupIds: ["sg-base"] });
    await env.cloud.clearCalls();
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(plan.stdout).toContain("1 to add");
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual(["Join eni-web2b sg-web"]);
    expect(await env.cloud.networkInterfaceGroupsOf("eni-web2b")).toEqual(["sg-base", "sg-web"]);
  });

  test("an instance-level and a primary-ENI attachment of one pair are refused at plan", async () => {
    env.ws.configure({
      ...attachments({ inst: ["i-web1", "sg-web"] }),
      ...eniAttachments({ prim: ["eni-web1p", "sg-web"] }),
    });
    await env.ws.init();
    const plan = await env.ws.plan();
    expectExit(plan, 1);
    expect(plan.output).toContain("Error: DuplicateAttachment: ");
    expect(await env.cloud.changes()).toEqual([]);
  });
});
