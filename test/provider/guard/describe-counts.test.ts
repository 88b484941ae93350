import type { EmulatorSeed } from "../../../src/emulator/server";
import { createProviderDefinition } from "../../../src/provider/resources/provider";
import type { ObjectValue, ProviderDefinition } from "../../../src/provider/plugin/types";
import { Cloud, type CallRecord } from "../../support/emulator";
import { WalkHints } from "../../../src/provider/guard/walk-hints";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// How many describes a walk makes, with Terraform's default `-parallelism=10` played exactly: ten
// calls in flight, the next one sent as soon as one is answered, in a shuffled (seeded) order, as
// Terraform's graph walk sends them. The provider definition is driven directly, against the
// emulator over real HTTP. The goals are those of docs/benchmarks.md.

const KEY = { accessKeyId: "counts", accessKeySecret: "counts-secret" };
const GROUPS = ["sg-g1", "sg-g2", "sg-g3", "sg-g4"];

function world(instances: number): EmulatorSeed {
  return {
    regionId: "cn-hangzhou",
    accessKeys: [KEY],
    maxSecurityGroupsPerInstance: 5,
    securityGroups: ["sg-base", ...GROUPS].map((securityGroupId) => ({
      securityGroupId,
      vpcId: "vpc-1",
      type: "normal",
    })),
    instances: Array.from({ length: instances }, (_, n) => ({
      instanceId: `i-count${n}`,
      vpcId: "vpc-1",
      status: "Running" as const,
      securityGroupIds: ["sg-base"],
      lockReasons: [],
    })),
  };
}

/** `count` attachments over `instances` instances, the k-th on instance k mod instances. */
function attachments(count: number, instances: number): ObjectValue[] {
  return Array.from({ length: count }, (_, k) => {
    const instance_id = `i-count${k % instances}`;
    const security_group_id = GROUPS[Math.floor(k / instances) % GROUPS.length];
    return {
      id: `${instance_id}:${security_group_id}`,
      instance_id,
      security_group_id,
      retain_on_delete: null,
      pending_security_group_ids: null,
      timeouts: null,
    };
  });
}

/** A seeded shuffle (a linear congruential generator: the same order on every run). */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Runs `work` on every item, exactly `parallelism` at a time. Like Terraform, a slot sends its next
 * call a little after the last was answered (its own work in between: 3 ms here, as measured with
 * terraform 1.11.4 on 1000 resources), so calls do not all arrive at once.
 */
async function walk<T>(items: readonly T[], parallelism: number, work: (x: T) => Promise<unknown>) {
  let next = 0;
  const slot = async () => {
    while (next < items.length) {
      const item = items[next++];
      await new Promise((resolve) => setTimeout(resolve, 3));
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, slot));
}

describe("describes per walk with ten calls in flight", () => {
  let cloud: Cloud;

  beforeAll(async () => {
    cloud = await Cloud.start(world(1));
  });
  afterAll(async () => {
    await cloud.close();
  });

  /** A new provider process's definition, configured against the emulator. */
  async function provider(walkHints?: WalkHints): Promise<ProviderDefinition> {
    const definition = createProviderDefinition({}, undefined, { walkHints });
    await definition.configureProvider(
      {
        region: "cn-hangzhou",
        endpoint: cloud.url,
        access_key: KEY.accessKeyId,
        secret_key: KEY.accessKeySecret,
        max_retries: 0,
        security_token: null,
        profile: null,
        max_security_groups_per_instance: null,
      },
      "1.11.4",
    );
    return definition;
  }

  const plan = (p: ProviderDefinition, prior: ObjectValue | null, proposed: ObjectValue) =>
    p.planResourceChange({
      typeName: "alisg_attachment",
      priorState: prior,
      proposedNewState: proposed,
      config: proposed,
      priorPrivate: Buffer.alloc(0),
    });

  const described = (calls: CallRecord[], action: string, param: string) =>
    calls.filter((c) => c.action === action).map((c) => JSON.parse(c.params[param]) as string[]);

  async function counts(count: number, instances: number) {
    await cloud.reset(world(instances));
    const all = attachments(count, instances);
    const order = shuffled(all, count);
    // The create plan: one provider process, every resource planned once.
    const creating = await provider();
    await walk(order, 10, async (a) => {
      const r = await plan(creating, null, { ...a, id: null });
      expect(r.diagnostics ?? []).toEqual([]);
    });
    const create = await cloud.calls();
    // The memberships made (as an apply would), then a refresh plan in a new process: read, then plan.
    await cloud.reset({
      ...world(instances),
      instances: (world(instances).instances ?? []).map((i, n) => ({
        ...i,
        securityGroupIds: [
          "sg-base",
          ...all.filter((a) => a.instance_id === `i-count${n}`).map((a) => a.security_group_id as string),
        ],
      })),
    });
    const refreshing = await provider();
    await walk(order, 10, async (a) => {
      const read = await refreshing.readResource({
        typeName: "alisg_attachment",
        currentState: a,
        private: Buffer.alloc(0),
      });
      expect(read.newState).toEqual(a);
      await plan(refreshing, a, a);
    });
    const refresh = await cloud.calls();
    return { create, refresh };
  }

  test("1000 attachments over 250 instances: at most 30 DescribeInstances per walk, each instance described once", async () => {
    const { create, refresh } = await counts(1000, 250);
    for (const calls of [create, refresh]) {
      const batches = described(calls, "DescribeInstances", "InstanceIds");
      const ids = batches.flat();
      console.log(`1000 over 250: DescribeInstances batches ${batches.map((b) => b.length).join(",")}`);
      expect(ids).toHaveLength(250);
      expect(new Set(ids).size).toBe(250);
      expect(batches.length).toBeGreaterThanOrEqual(3);
      expect(batches.length).toBeLessThanOrEqual(30);
      // Five groups, each described once.
      const groups = described(calls, "DescribeSecurityGroups", "SecurityGroupIds").flat();
      expect(new Set(groups).size).toBe(groups.length);
    }
  });

  test("100 attachments on 100 instances: at most 12 DescribeInstances per walk", async () => {
    const { create, refresh } = await counts(100, 100);
    for (const calls of [create, refresh]) {
      const batches = described(calls, "DescribeInstances", "InstanceIds");
      expect(batches.flat()).toHaveLength(100);
      expect(batches.length).toBeLessThanOrEqual(12);
    }
  });

  test("with the IDs the run's validating process saw, the planning process describes them 100 at a time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "alisg-hints-"));
    try {
      await cloud.reset(world(250));
      const all = attachments(1000, 250);
      // The validate walk, in a process of its own: no describes, the IDs noted.
      const validating = createProviderDefinition({}, undefined, { walkHints: new WalkHints(dir, "run-1") });
      await walk(shuffled(all, 7), 10, async (a) => {
        expect(await validating.validateResourceConfig!("alisg_attachment", { ...a, id: null })).toEqual([]);
      });
      expect((await cloud.calls()).filter((c) => c.action === "DescribeInstances")).toHaveLength(0);
      // The plan walk, in the next process of the same run.
      const planning = await provider(new WalkHints(dir, "run-1"));
      await walk(shuffled(all, 7), 10, async (a) => {
        const r = await plan(planning, null, { ...a, id: null });
        expect(r.diagnostics ?? []).toEqual([]);
      });
      const batches = described(await cloud.calls(), "DescribeInstances", "InstanceIds");
      expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
