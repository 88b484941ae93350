import { NODE_MATRIX } from "../support/node-matrix";
import { attachments, expectExit, seed, useCloud } from "./harness";

// Real terraform against the emulator: create, no-op plan, remove, in-place move (after an import)
// with the provider run by each Node.js of the matrix (20, 22, 24), each provider process's version
// checked; then import and retain_on_delete.
jest.setTimeout(180_000);

const world = () =>
  seed(
    [
      { instanceId: "i-web1", securityGroupIds: ["sg-base"] },
      { instanceId: "i-web2", securityGroupIds: ["sg-base"] },
      { instanceId: "i-solo", securityGroupIds: ["sg-old"] },
    ],
    ["sg-base", "sg-web", "sg-db", "sg-old", "sg-new"],
  );

describe.each(NODE_MATRIX)("alisg_attachment with real terraform, the provider on Node.js $major", (node) => {
  const env = useCloud(world, { providerNode: node });

  test("creates three attachments with three joins, then plans clean; removing one block leaves only that group", async () => {
    env.ws.configure(
      attachments({ a: ["i-web1", "sg-web"], b: ["i-web1", "sg-db"], c: ["i-web2", "sg-web"] }),
    );
    await env.ws.init();
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(apply.stdout).toContain("3 added, 0 changed, 0 destroyed");
    expect((await env.cloud.changes()).sort()).toEqual([
      "Join i-web1 sg-db",
      "Join i-web1 sg-web",
      "Join i-web2 sg-web",
    ]);
    expect(await env.cloud.sortedGroupsOf("i-web1")).toEqual(["sg-base", "sg-db", "sg-web"]);

    await env.cloud.clearCalls();
    expectExit(await env.ws.plan(), 0);
    expect(await env.cloud.changes()).toEqual([]);

    env.ws.configure(attachments({ a: ["i-web1", "sg-web"], c: ["i-web2", "sg-web"] }));
    const removal = await env.ws.apply();
    expectExit(removal, 0);
    expect(removal.stdout).toContain("0 added, 0 changed, 1 destroyed");
    expect(await env.cloud.changes()).toEqual(["Leave i-web1 sg-db"]);
    expect(await env.cloud.sortedGroupsOf("i-web1")).toEqual(["sg-base", "sg-web"]);
  });

  test("moves an instance's only group in place: join the new one, then leave the old one", async () => {
    env.ws.configure(attachments({ solo: ["i-solo", "sg-old"] }));
    await env.ws.init();
    expectExit(await env.ws.terraform(["import", "-no-color", "alisg_attachment.solo", "i-solo:sg-old"]), 0);
    await env.cloud.clearCalls();

    env.ws.configure(attachments({ solo: ["i-solo", "sg-new"] }));
    const plan = await env.ws.plan();
    expectExit(plan, 2);
    expect(plan.stdout).toContain("1 to change");
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(await env.cloud.changes()).toEqual(["Join i-solo sg-new", "Leave i-solo sg-old"]);
    expect(await env.cloud.sortedGroupsOf("i-solo")).toEqual(["sg-new"]);
    expectExit(await env.ws.plan(), 0);
  });
});

// Import on its own and retain_on_delete: on the Node.js running jest (the tests above import and
// delete on every Node.js already).
describe("alisg_attachment with real terraform", () => {
  const env = useCloud(world);

  test("imports an existing membership: plan is clean and no join is made", async () => {
    env.ws.configure(attachments({ base: ["i-web1", "sg-base"] }));
    await env.ws.init();
    const imported = await env.ws.terraform([
      "import",
      "-no-color",
      "alisg_attachment.base",
      "i-web1:sg-base",
    ]);
    expectExit(imported, 0);
    expect(imported.stdout).toContain("Import successful");
    expectExit(await env.ws.plan(), 0);
    expect(await env.cloud.changes()).toEqual([]);

    const bad = await env.ws.terraform(["import", "-no-color", "alisg_attachment.base", "i-web1:sg-db"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("i-web1 is not in sg-db");
  });

  test("retain_on_delete: removing the block forgets the attachment without any call", async () => {
    env.ws.configure(
      attachments({ kept: { instance_id: "i-web2", security_group_id: "sg-web", retain_on_delete: true } }),
    );
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual(["Join i-web2 sg-web"]);
    await env.cloud.clearCalls();

    env.ws.configure({});
    const apply = await env.ws.apply();
    expectExit(apply, 0);
    expect(apply.stdout).toContain("1 destroyed");
    expect(await env.cloud.changes()).toEqual([]);
    expect(await env.cloud.sortedGroupsOf("i-web2")).toEqual(["sg-base", "sg-web"]);
  });
});
