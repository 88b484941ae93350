import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { attachments, expectExit, seed, useCloud } from "./harness";
import { alisg } from "./gitops-cli";

// Protected groups with real terraform: the provider refuses at plan a removal of one and allows a
// join; check-plan and drift take the list as --protected-security-group-id.
jest.setTimeout(180_000);

const world = () =>
  seed(
    [
      { instanceId: "i-web", securityGroupIds: ["sg-base", "sg-web"] },
      { instanceId: "i-db", securityGroupIds: ["sg-base", "sg-db"] },
    ],
    ["sg-base", "sg-web", "sg-db", "sg-ops"],
  );

describe("protected groups with real terraform", () => {
  const env = useCloud(world);

  test("removing a protected group is refused at plan time; joining one is applied", async () => {
    const protectedOnes = { protected_security_group_ids: ["sg-base", "sg-ops"] };
    env.ws.configure(attachments({ base: ["i-web", "sg-base"], web: ["i-web", "sg-web"] }), protectedOnes);
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.clearCalls();

    env.ws.configure(attachments({ web: ["i-web", "sg-web"] }), protectedOnes);
    const refused = await env.ws.plan();
    expectExit(refused, 1);
    // Terraform sends the provider no address: the resource is named by what it held.
    expect(refused.output).toContain(
      "Error: ProtectedSecurityGroup: the removed alisg_attachment for i-web:sg-base would remove protected security group sg-base from i-web",
    );
    expect(refused.output).toContain("protected_security_group_ids");

    env.ws.configure(
      attachments({ base: ["i-web", "sg-base"], web: ["i-web", "sg-web"], ops: ["i-web", "sg-ops"] }),
      protectedOnes,
    );
    expectExit(await env.ws.apply(), 0);
    expect(await env.cloud.changes()).toEqual(["Join i-web sg-ops"]);
    expect(await env.cloud.sortedGroupsOf("i-web")).toEqual(["sg-base", "sg-ops", "sg-web"]);
  });

  test("check-plan and drift judge the groups given with --protected-security-group-id", async () => {
    // The provider itself protects nothing here: the gate is the only guard.
    env.ws.configure({
      alisg_instance_security_groups: {
        db: { instance_id: "i-db", security_group_ids: ["sg-base", "sg-db"] },
      },
    });
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);

    // Drift: sg-ops joined out of band; the set does not list it, so the next apply would leave it.
    await env.cloud.patchInstance("i-db", { securityGroupIds: ["sg-base", "sg-db", "sg-ops"] });
    const state = await env.ws.terraform(["show", "-json"]);
    expectExit(state, 0);
    const stateFile = join(env.ws.dir, "state.json");
    writeFileSync(stateFile, state.stdout);
    const drift = await alisg(env.cloud, ["drift", "--state", stateFile, "--format", "json"]);
    const guarded = await alisg(env.cloud, [
      "drift",
      "--state",
      stateFile,
      "--format",
      "json",
      "--protected-security-group-id",
      "sg-ops",
    ]);
    expectExit(drift, 2);
    expectExit(guarded, 2);
    const kinds = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as { drift: { kind: string; security_group_id: string }[] }).drift.map(
        (d) => `${d.kind} ${d.security_group_id}`,
      );
    expect(kinds(drift)).toEqual(["extra sg-ops"]);
    expect(kinds(guarded)).toEqual(["blocked sg-ops"]);

    // check-plan: the set no longer lists sg-base.
    await env.cloud.patchInstance("i-db", { securityGroupIds: ["sg-base", "sg-db"] });
    env.ws.configure({
      alisg_instance_security_groups: { db: { instance_id: "i-db", security_group_ids: ["sg-db"] } },
    });
    expectExit(await env.ws.plan(["-out", "tfplan"]), 2);
    const show = await env.ws.terraform(["show", "-json", "tfplan"]);
    expectExit(show, 0);
    const planFile = join(env.ws.dir, "plan.json");
    writeFileSync(planFile, show.stdout);
    expectExit(await alisg(env.cloud, ["check-plan", planFile]), 0);
    const gate = await alisg(env.cloud, ["check-plan", planFile, "--protected-security-group-id", "sg-base"]);
    expectExit(gate, 2);
    expect(gate.stdout).toContain(
      "ProtectedSecurityGroup alisg_instance_security_groups.db: alisg_instance_security_groups.db would remove protected security group sg-base from i-db",
    );
    // The same list from the provider's environment variable.
    const fromEnv = await alisg(env.cloud, ["check-plan", planFile], {
      env: { ALISG_PROTECTED_SECURITY_GROUP_IDS: "sg-base" },
    });
    expectExit(fromEnv, 2);
    expect(await env.cloud.sortedGroupsOf("i-db")).toEqual(["sg-base", "sg-db"]);
  });
});
