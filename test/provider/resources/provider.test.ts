import type { EmulatorSeed } from "../../../src/emulator/server";
import { Cloud } from "../../support/emulator";
import { createProviderDefinition } from "../../../src/provider/resources/provider";
import type { Diagnostic, ObjectValue, ProviderDefinition } from "../../../src/provider/plugin/types";
import { unknown } from "../../../src/provider/plugin/types";

// The provider's resources driven directly (no gRPC), against the emulator over real HTTP.

const KEY = { accessKeyId: "unit", accessKeySecret: "unit-secret" };

function world(instanceCount = 3): EmulatorSeed {
  return {
    regionId: "cn-hangzhou",
    accessKeys: [KEY],
    maxSecurityGroupsPerInstance: 5,
    securityGroups: ["sg-a", "sg-b", "sg-c", "sg-d", "sg-e", "sg-f"].map((securityGroupId) => ({
      securityGroupId,
      vpcId: "vpc-1",
      type: "normal",
    })),
    instances: [
      {
        instanceId: "i-two",
        vpcId: "vpc-1",
        status: "Running",
        securityGroupIds: ["sg-a", "sg-b"],
        lockReasons: [],
      },
      { instanceId: "i-one", vpcId: "vpc-1", status: "Running", securityGroupIds: ["sg-a"], lockReasons: [] },
      ...Array.from({ length: instanceCount }, (_, n) => ({
        instanceId: `i-bulk${n}`,
        vpcId: "vpc-1",
        status: "Stopped" as const,
        securityGroupIds: ["sg-a"],
        lockReasons: [],
      })),
    ],
  };
}

const attachment = (
  instance_id: string,
  security_group_id: string,
  retain_on_delete: boolean | null = null,
) => ({
  id: `${instance_id}:${security_group_id}`,
  instance_id,
  security_group_id,
  retain_on_delete,
  pending_security_group_ids: null,
  timeouts: null,
});

const errors = (d: readonly Diagnostic[] | undefined) => (d ?? []).filter((x) => x.severity === "error");

describe("alisg provider resources", () => {
  let emulator: Cloud;
  let provider: ProviderDefinition;

  const calls = () => emulator.calls();

  /** A provider definition configured against the emulator with `maxRetries` retries. */
  async function configured(maxRetries: number): Promise<ProviderDefinition> {
    const definition = createProviderDefinition({});
    const diags = await definition.configureProvider(
      {
        region: "cn-hangzhou",
        endpoint: emulator.url,
        access_key: KEY.accessKeyId,
        secret_key: KEY.accessKeySecret,
        max_retries: maxRetries,
        security_token: null,
        profile: null,
        max_security_groups_per_instance: null,
      },
      "1.11.4",
    );
    expect(errors(diags)).toEqual([]);
    return definition;
  }

  /** Applies the destroy of `prior` (the block removed from the configuration). */
  const destroy = (prior: ObjectValue) =>
    provider.applyResourceChange({
      typeName: "alisg_attachment",
      priorState: prior,
      plannedState: null,
      config: null,
      plannedPrivate: Buffer.alloc(0),
    });

  beforeAll(async () => {
    emulator = await Cloud.start(world(250));
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    await emulator.reset(world(250));
    provider = await configured(0);
  });

  const plan = (prior: ObjectValue | null, proposed: ObjectValue | null, typeName = "alisg_attachment") =>
    provider.planResourceChange({
      typeName,
      priorState: prior,
      proposedNewState: proposed,
      config: proposed,
      priorPrivate: Buffer.alloc(0),
    });

  test("refuses, across two concurrent plans, removals that together would leave an instance with no group", async () => {
    const [a, b] = await Promise.all([
      plan(attachment("i-two", "sg-a"), null),
      plan(attachment("i-two", "sg-b"), null),
    ]);
    const refusals = [...errors(a.diagnostics), ...errors(b.diagnostics)];
    expect(refusals).toHaveLength(1);
    expect(refusals[0].summary).toMatch(/^InstanceLastSecurityGroup: /);
    expect(refusals[0].summary).toContain("i-two");
  });

  test("allows one of the two removals alone", async () => {
    const a = await plan(attachment("i-two", "sg-a"), null);
    expect(errors(a.diagnostics)).toEqual([]);
  });

  test("allows moving the only group in place and applies it as join then leave", async () => {
    const prior = attachment("i-one", "sg-a");
    const proposed = { ...prior, security_group_id: "sg-b" };
    const planned = await plan(prior, proposed);
    expect(errors(planned.diagnostics)).toEqual([]);
    expect(planned.requiresReplace ?? []).toEqual([]);
    expect(planned.plannedState).toMatchObject({ id: "i-one:sg-b" });
    const applied = await provider.applyResourceChange({
      typeName: "alisg_attachment",
      priorState: prior,
      plannedState: planned.plannedState,
      config: proposed,
      plannedPrivate: Buffer.alloc(0),
    });
    expect(errors(applied.diagnostics)).toEqual([]);
    const changes = (await calls()).filter(
      (c) => /SecurityGroup$/.test(c.action) && c.action !== "DescribeSecurityGroups",
    );
    expect(changes.map((c) => `${c.action} ${c.params.SecurityGroupId}`)).toEqual([
      "JoinSecurityGroup sg-b",
      "LeaveSecurityGroup sg-a",
    ]);
  });

  test("a replacement (instance_id changed) is planned as such", async () => {
    const prior = attachment("i-two", "sg-c");
    const planned = await plan(prior, { ...prior, instance_id: "i-one" });
    expect(planned.requiresReplace).toEqual([["instance_id"]]);
  });

  test("values unknown at plan time are not checked until apply", async () => {
    const proposed = { id: null, instance_id: unknown, security_group_id: "sg-zzz", retain_on_delete: null };
    const planned = await plan(null, proposed);
    expect(errors(planned.diagnostics)).toEqual([]);
    expect(planned.plannedState?.id).toBe(unknown);
    expect(await calls()).toEqual([]);
  });

  test("a refused removal keeps the attachment in state and makes no call", async () => {
    const prior = attachment("i-one", "sg-a");
    const applied = await destroy(prior);
    expect(applied.newState).toEqual(prior);
    expect(errors(applied.diagnostics)[0].summary).toMatch(/^InstanceLastSecurityGroup: /);
    expect((await calls()).map((c) => c.action)).not.toContain("LeaveSecurityGroup");
  });

  test("a removal whose API call fails keeps the attachment in state, with the code and request ID", async () => {
    await emulator.setFaults({
      throttleRate: 0,
      serverErrorRate: 1,
      lostResponseRate: 0,
      latencyMs: 0,
      seed: 1,
    });
    try {
      const prior = attachment("i-two", "sg-b");
      const applied = await destroy(prior);
      expect(applied.newState).toEqual(prior);
      const [error] = errors(applied.diagnostics);
      expect(error.summary).toMatch(/^(InternalError|ServiceUnavailable): /);
      expect(error.detail).toMatch(/request ID \S+/);
    } finally {
      await emulator.clearFaults();
    }
  });

  test("the authoritative resource plans an unknown id while its instance ID is unknown", async () => {
    const planned = await plan(
      null,
      { id: null, instance_id: unknown, security_group_ids: ["sg-a"] },
      "alisg_instance_security_groups",
    );
    expect(errors(planned.diagnostics)).toEqual([]);
    expect(planned.plannedState?.id).toBe(unknown);
  });

  test("a malformed group ID is refused at plan even while the instance ID is unknown", async () => {
    const planned = await plan(null, {
      id: null,
      instance_id: unknown,
      security_group_id: "sg web",
      retain_on_delete: null,
    });
    const [error] = errors(planned.diagnostics);
    expect(error.summary).toMatch(
      /^InvalidSecurityGroupId\.Malformed: "sg web" is not a valid security group ID/,
    );
    expect(error.attribute).toEqual(["security_group_id"]);
  });

  test("StopProvider ends retries at once", async () => {
    const slow = await configured(50);
    await emulator.setFaults({
      throttleRate: 1,
      serverErrorRate: 0,
      lostResponseRate: 0,
      latencyMs: 0,
      seed: 1,
    });
    try {
      await emulator.clearCalls();
      const reading = slow.readResource({
        typeName: "alisg_attachment",
        currentState: attachment("i-one", "sg-a"),
        private: Buffer.alloc(0),
      });
      setTimeout(() => void slow.stop!(), 300);
      const read = await reading;
      // The stop ends the retries: far fewer calls than the 1 + 50 the setting allows.
      const made = (await calls()).length;
      expect(made).toBeLessThan(1 + 50);
      expect(errors(read.diagnostics)).toHaveLength(1);
      expect(read.newState).toEqual(attachment("i-one", "sg-a"));
    } finally {
      await emulator.clearFaults();
    }
  });

  test("concurrent reads of 250 instances share DescribeInstances calls of up to 100 IDs, each instance described once", async () => {
    const states = Array.from({ length: 250 }, (_, n) => attachment(`i-bulk${n}`, "sg-a"));
    const read = (s: ObjectValue) =>
      provider.readResource({ typeName: "alisg_attachment", currentState: s, private: Buffer.alloc(0) });
    const results = await Promise.all(states.map(read));
    expect(results.every((r, n) => r.newState?.id === states[n].id)).toBe(true);
    // The same walk plans them too: no further describes.
    await Promise.all(states.map((s) => plan(s, s)));
    await Promise.all(states.slice(0, 10).map(read));
    const describes = (await calls()).filter((c) => c.action === "DescribeInstances");
    expect(describes.length).toBe(3);
    const described = describes.flatMap((c) => JSON.parse(c.params.InstanceIds) as string[]);
    expect(new Set(described).size).toBe(described.length);
    expect(described).toHaveLength(250);
  });

  test("read drops an attachment whose membership is gone", async () => {
    const r = await provider.readResource({
      typeName: "alisg_attachment",
      currentState: attachment("i-one", "sg-c"),
      private: Buffer.alloc(0),
    });
    expect(r.newState).toBeNull();
  });

  test("the authoritative resource plans joins and leaves from live facts and refuses an empty set", async () => {
    const ok = await plan(
      null,
      { id: null, instance_id: "i-two", security_group_ids: ["sg-c"] },
      "alisg_instance_security_groups",
    );
    expect(errors(ok.diagnostics)).toEqual([]);
    const empty = await provider.validateResourceConfig!("alisg_instance_security_groups", {
      id: null,
      instance_id: "i-two",
      security_group_ids: [],
    });
    expect(errors(empty)[0].summary).toMatch(/^InstanceLastSecurityGroup: /);
  });

  test("refuses at plan a join that would mix normal and enterprise groups on one instance", async () => {
    const state = world(0);
    await emulator.replaceState({
      ...state,
      securityGroups: [
        ...(state.securityGroups ?? []),
        { securityGroupId: "sg-ent", vpcId: "vpc-1", type: "enterprise" },
      ],
    });
    const planned = await plan(null, { ...attachment("i-one", "sg-ent"), id: null });
    expect(errors(planned.diagnostics)[0].summary).toMatch(/^InvalidOperation\.MultiGroupType: /);
  });

  test("the group limit counts every join planned for the instance", async () => {
    const creates = ["sg-b", "sg-c", "sg-d", "sg-e", "sg-f"].map((g) =>
      plan(null, { ...attachment("i-one", g), id: null }),
    );
    const results = await Promise.all(creates);
    const refusals = results.flatMap((r) => errors(r.diagnostics));
    // sg-a and five joins is one over the limit of 5: the plan that completes the picture is refused.
    expect(refusals).toHaveLength(1);
    expect(refusals[0].summary).toMatch(/^InstanceSecurityGroupLimitExceeded: /);
  });

  const leaves = async () =>
    (await calls())
      .filter((c) => c.action === "LeaveSecurityGroup")
      .map((c) => `${c.params.InstanceId} ${c.params.SecurityGroupId}`);

  test("never leaves a pair that another change of the same apply already took (a hand-off)", async () => {
    // i-two:sg-b created (adopted) under a new name, then the old resource's delete arrives.
    const created = await provider.applyResourceChange({
      typeName: "alisg_attachment",
      priorState: null,
      plannedState: attachment("i-two", "sg-b"),
      config: attachment("i-two", "sg-b"),
      plannedPrivate: Buffer.alloc(0),
    });
    expect(errors(created.diagnostics)).toEqual([]);
    const removed = await destroy(attachment("i-two", "sg-b"));
    expect(removed.newState).toBeNull();
    expect(errors(removed.diagnostics)).toEqual([]);
    expect(await leaves()).toEqual([]);
    expect(await emulator.sortedGroupsOf("i-two")).toEqual(["sg-a", "sg-b"]);
  });

  test("still leaves a pair that nothing else in the apply took", async () => {
    const removed = await destroy(attachment("i-two", "sg-b"));
    expect(removed.newState).toBeNull();
    expect(await leaves()).toEqual(["i-two sg-b"]);
  });

  test("a replacement keeping its pair tells its delete half not to leave it, whatever the order", async () => {
    const prior = attachment("i-one", "sg-a");
    const first = await provider.planResourceChange({
      typeName: "alisg_attachment",
      priorState: prior,
      proposedNewState: prior,
      config: prior,
      priorPrivate: Buffer.alloc(0),
    });
    // Terraform plans the new object of a replacement again, with the first answer's private data.
    const second = await provider.planResourceChange({
      typeName: "alisg_attachment",
      priorState: null,
      proposedNewState: { ...prior, id: null },
      config: prior,
      priorPrivate: first.plannedPrivate ?? Buffer.alloc(0),
    });
    expect(errors(second.diagnostics)).toEqual([]);
    // Delete half first (Terraform's default order): nothing is left, not even the only group.
    const applyDelete = await provider.applyResourceChange({
      typeName: "alisg_attachment",
      priorState: prior,
      plannedState: null,
      config: null,
      plannedPrivate: second.plannedPrivate ?? Buffer.alloc(0),
    });
    expect(errors(applyDelete.diagnostics)).toEqual([]);
    expect(applyDelete.newState).toBeNull();
    expect(applyDelete.private?.length ?? 0).toBe(0);
    expect(await leaves()).toEqual([]);
    expect(await emulator.sortedGroupsOf("i-one")).toEqual(["sg-a"]);
  });

  test("reports each plan-time finding once, however many resources' calls find it", async () => {
    const results = await Promise.all([
      plan(null, { ...attachment("i-two", "sg-c"), id: null }),
      plan(null, { ...attachment("i-two", "sg-c"), id: null }),
      plan(null, { ...attachment("i-two", "sg-c"), id: null }),
    ]);
    const all = results.flatMap((r) => errors(r.diagnostics).map((d) => d.summary));
    expect(all).toEqual([
      expect.stringMatching(/^DuplicateAttachment: i-two:sg-c is declared by 3 alisg_attachment/),
    ]);
  });

  test("a plan whose facts cannot be read says what failed, with the code and the next step", async () => {
    await emulator.setFaults({
      throttleRate: 0,
      serverErrorRate: 1,
      lostResponseRate: 0,
      latencyMs: 0,
      seed: 3,
    });
    try {
      const planned = await plan(attachment("i-two", "sg-b"), null);
      const [error] = errors(planned.diagnostics);
      expect(error.summary).toMatch(/^(InternalError|ServiceUnavailable): /);
      expect(error.detail).toMatch(/request ID \S+/);
      expect(error.detail).not.toContain("The provider failed while handling");
    } finally {
      await emulator.clearFaults();
    }
  });

  describe("protected groups", () => {
    /** A provider protecting `groups`, through the block or (block unset) the environment. */
    async function protecting(block: readonly string[] | null, env: NodeJS.ProcessEnv = {}) {
      const definition = createProviderDefinition(env);
      const diags = await definition.configureProvider(
        {
          region: "cn-hangzhou",
          endpoint: emulator.url,
          access_key: KEY.accessKeyId,
          secret_key: KEY.accessKeySecret,
          max_retries: 0,
          security_token: null,
          profile: null,
          max_security_groups_per_instance: null,
          protected_security_group_ids: block,
        },
        "1.11.4",
      );
      expect(errors(diags)).toEqual([]);
      return definition;
    }
    const leaves = async () => (await calls()).filter((c) => c.action === "LeaveSecurityGroup");

    test("a removal of a protected group is refused at plan time, naming the group, the instance and the resource", async () => {
      provider = await protecting(["sg-a"]);
      const planned = await plan(attachment("i-two", "sg-a"), null);
      const [refusal] = errors(planned.diagnostics);
      expect(refusal.summary).toBe(
        "ProtectedSecurityGroup: the removed alisg_attachment for i-two:sg-a would remove protected security group sg-a from i-two",
      );
      expect(refusal.detail).toContain("protected_security_group_ids");
      // The same removal is fine for a group that is not protected.
      expect(errors((await plan(attachment("i-two", "sg-b"), null)).diagnostics)).toEqual([]);
    });

    test("the environment's list applies when the block sets none", async () => {
      provider = await protecting(null, { ALISG_PROTECTED_SECURITY_GROUP_IDS: "sg-b, sg-f" });
      const planned = await plan(attachment("i-two", "sg-b"), null);
      expect(errors(planned.diagnostics).map((d) => d.summary.split(":")[0])).toEqual([
        "ProtectedSecurityGroup",
      ]);
    });

    test("a move away from a protected group is refused; a move onto one and a join of one are allowed", async () => {
      provider = await protecting(["sg-a"]);
      const prior = attachment("i-two", "sg-a");
      const away = await plan(prior, { ...prior, security_group_id: "sg-c" });
      expect(errors(away.diagnostics).map((d) => d.summary.split(":")[0])).toEqual([
        "ProtectedSecurityGroup",
      ]);
      provider = await protecting(["sg-c", "sg-d"]);
      const onto = await plan(prior, { ...prior, security_group_id: "sg-c" });
      expect(errors(onto.diagnostics)).toEqual([]);
      expect(errors((await plan(null, attachment("i-one", "sg-d"))).diagnostics)).toEqual([]);
    });

    test("an authoritative set that does not list a protected group is refused", async () => {
      provider = await protecting(["sg-a"]);
      const planned = await plan(
        null,
        { id: null, instance_id: "i-two", security_group_ids: ["sg-b"], timeouts: null },
        "alisg_instance_security_groups",
      );
      expect(errors(planned.diagnostics).map((d) => d.summary)).toEqual([
        "ProtectedSecurityGroup: a new alisg_instance_security_groups for i-two would remove protected security group sg-a from i-two",
      ]);
    });

    test("re-checked right before the Leave: an apply that was never planned with the policy makes no call", async () => {
      provider = await protecting(["sg-b"]);
      const prior = attachment("i-two", "sg-b");
      const applied = await destroy(prior);
      expect(errors(applied.diagnostics).map((d) => d.summary)).toEqual([
        "ProtectedSecurityGroup: i-two may not leave sg-b, a protected security group",
      ]);
      expect(applied.newState).toEqual(prior);
      expect(await leaves()).toEqual([]);
    });
  });
});
