import type { EmulatorSeed } from "../../src/emulator/server";
import { alisg } from "./gitops-cli";
import { Cloud, expectExit, headlines, seed, Workspace, type RunResult } from "./harness";

/**
 * The Terraform paths of issue 13, each with real terraform 1.11.4 against an
 * emulator of its own: a taint of the only attachment and of one of two, a
 * failed move then reverted, a migration to an authoritative set in both
 * orders, a count shift over 15 groups and chained moves, a replacement whose
 * instance is known only at apply, and a hand-off to a group known only at
 * apply (both orders). Each asserts the exact ECS calls the emulator recorded
 * and that the memberships in ECS are the ones `terraform show -json` records.
 * Where Terraform's order matters, a terraform_data gate forces it, and the
 * order is checked in Terraform's own output.
 */
jest.setTimeout(600_000);

/** Scenarios run concurrently, this many at once (each runs one terraform at a time). */
const AT_ONCE = 3;
let running = 0;
const waiting: (() => void)[] = [];
async function slot(): Promise<() => void> {
  if (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

interface World {
  readonly cloud: Cloud;
  readonly ws: Workspace;
}

/** Runs `body` with an emulator of its own (seeded with `world`) and a fresh working dir. */
async function inWorld(world: EmulatorSeed, body: (w: World) => Promise<void>): Promise<void> {
  const release = await slot();
  const cloud = await Cloud.start(world);
  const ws = new Workspace(cloud);
  try {
    await body({ cloud, ws });
  } finally {
    ws.cleanup();
    await cloud.close();
    release();
  }
}

/** Join/Leave calls as "Join i-x sg-y", a refused one with " → CODE", oldest first. */
async function ecsChanges(cloud: Cloud): Promise<string[]> {
  return (await cloud.calls())
    .filter((c) => c.action === "JoinSecurityGroup" || c.action === "LeaveSecurityGroup")
    .map(
      (c) =>
        `${c.action === "JoinSecurityGroup" ? "Join" : "Leave"} ${c.params.InstanceId} ${c.params.SecurityGroupId}${c.code ? ` → ${c.code}` : ""}`,
    );
}

interface StateResource {
  address: string;
  type: string;
  tainted?: boolean;
  deposed_key?: string;
  values: {
    instance_id: string;
    security_group_id?: string;
    security_group_ids?: string[];
    pending_security_group_ids?: string[] | null;
  };
}

/** The alisg resources of `terraform show -json`. */
async function stateResources(ws: Workspace): Promise<StateResource[]> {
  const r = await ws.terraform(["show", "-json", "-no-color"]);
  expectExit(r, 0);
  const shown = JSON.parse(r.stdout) as { values?: { root_module?: { resources?: StateResource[] } } };
  return (shown.values?.root_module?.resources ?? []).filter((x) => x.type.startsWith("alisg_"));
}

/**
 * ECS holds exactly the groups the state records for `instanceId`, plus the
 * `unmanaged` ones no resource manages; nothing is tainted, deposed or pending.
 */
async function expectStateTrue(w: World, instanceId: string, unmanaged: string[] = []): Promise<void> {
  const resources = (await stateResources(w.ws)).filter((r) => r.values.instance_id === instanceId);
  expect(resources.filter((r) => r.tainted || r.deposed_key || r.values.pending_security_group_ids)).toEqual(
    [],
  );
  const recorded = resources.flatMap((r) => r.values.security_group_ids ?? [r.values.security_group_id!]);
  expect(new Set(recorded).size).toBe(recorded.length);
  expect(await w.cloud.sortedGroupsOf(instanceId)).toEqual([...recorded, ...unmanaged].sort());
}

/** The next plan changes nothing and makes no Join or Leave. */
async function expectSettled(w: World): Promise<void> {
  await w.cloud.clearCalls();
  expectExit(await w.ws.plan(), 0);
  expect(await ecsChanges(w.cloud)).toEqual([]);
}

interface Finding {
  severity: string;
  code: string;
  addresses: string[];
}

/** `alisg check-plan --format json` of the saved plan `tfplan`: its exit code and findings. */
async function checkPlan(
  w: World,
  options: string[] = [],
): Promise<{ code: number; findings: string[]; atApply: number }> {
  const show = await w.ws.terraform(["show", "-json", "-no-color", "tfplan"]);
  expectExit(show, 0);
  const r = await alisg(w.cloud, ["check-plan", "--format", "json", ...options, "-"], { stdin: show.stdout });
  const report = JSON.parse(r.stdout) as { findings: Finding[]; checked_at_apply: unknown[] };
  return {
    code: r.code,
    findings: report.findings
      .map((f) => `${f.severity} ${f.code} ${[...f.addresses].sort().join(",")}`)
      .sort(),
    atApply: report.checked_at_apply.length,
  };
}

/** The resource addresses in the order Terraform printed `verb` for them (e.g. "Destroying"). */
function startedIn(r: RunResult, verb: string): string[] {
  return r.stdout
    .split("\n")
    .map((l) => new RegExp(`^(\\S+): ${verb}\\.\\.\\.`).exec(l)?.[1])
    .filter((a): a is string => a !== undefined);
}

/** Where the first line starting with `prefix` is in Terraform's output. */
function lineOf(r: RunResult, prefix: string): number {
  const at = r.stdout.split("\n").findIndex((l) => l.startsWith(prefix));
  if (at < 0) throw new Error(`no line starting ${JSON.stringify(prefix)} in:\n${r.stdout}`);
  return at;
}

type Blocks = Record<string, Record<string, object>>;

const cbd = (on: boolean) => (on ? { lifecycle: { create_before_destroy: true } } : {});

describe("every Terraform path of issue 13 with real terraform", () => {
  test.concurrent.each([false, true])(
    "taint of an instance's only attachment (create_before_destroy %s): the plan passes, the apply makes no call and keeps the group",
    async (beforeDestroy) =>
      inWorld(seed([{ instanceId: "i-taint1", securityGroupIds: ["sg-t1"] }], ["sg-t1"]), async (w) => {
        w.ws.configure({
          alisg_attachment: {
            t: { instance_id: "i-taint1", security_group_id: "sg-t1", ...cbd(beforeDestroy) },
          },
        });
        await w.ws.init();
        expectExit(await w.ws.apply(), 0);
        expect(await ecsChanges(w.cloud)).toEqual([]);

        expectExit(await w.ws.terraform(["taint", "-no-color", "alisg_attachment.t"]), 0);
        const plan = await w.ws.plan(["-out", "tfplan"]);
        expectExit(plan, 2);
        expect(await checkPlan(w)).toEqual({ code: 0, findings: [], atApply: 0 });
        expect(headlines(plan, "Error")).toEqual([]);
        expect(headlines(plan, "Warning")).toEqual([]);
        expect(plan.stdout).toContain("1 to add, 0 to change, 1 to destroy");
        await w.cloud.clearCalls();

        const apply = await w.ws.terraform(["apply", "-no-color", "tfplan"]);
        expectExit(apply, 0);
        expect(apply.stdout).toContain("1 added, 0 changed, 1 destroyed");
        // The new object is created while the old one holds the pair: it adopts it, and says so.
        expect(headlines(apply, "Warning")).toEqual(
          beforeDestroy ? ["Already a member: i-taint1 is already in sg-t1"] : [],
        );
        expect(await ecsChanges(w.cloud)).toEqual([]);
        await expectStateTrue(w, "i-taint1");
        await expectSettled(w);
      }),
  );

  test.concurrent.each([false, true])(
    "taint of one of two groups (create_before_destroy %s): no Leave and Join of the pair, no hand-off warning",
    async (beforeDestroy) =>
      inWorld(
        seed([{ instanceId: "i-pair", securityGroupIds: ["sg-p1"] }], ["sg-p1", "sg-p2"]),
        async (w) => {
          w.ws.configure({
            alisg_attachment: {
              p1: { instance_id: "i-pair", security_group_id: "sg-p1", ...cbd(beforeDestroy) },
              p2: { instance_id: "i-pair", security_group_id: "sg-p2", ...cbd(beforeDestroy) },
            },
          });
          await w.ws.init();
          expectExit(await w.ws.apply(), 0);
          expect(await ecsChanges(w.cloud)).toEqual(["Join i-pair sg-p2"]);

          expectExit(await w.ws.terraform(["taint", "-no-color", "alisg_attachment.p2"]), 0);
          await w.cloud.clearCalls();
          const apply = await w.ws.apply();
          expectExit(apply, 0);
          expect(headlines(apply, "Warning")).toEqual(
            beforeDestroy ? ["Already a member: i-pair is already in sg-p2"] : [],
          );
          expect(apply.stdout).toContain("1 added, 0 changed, 1 destroyed");
          expect(await ecsChanges(w.cloud)).toEqual([]);
          await expectStateTrue(w, "i-pair");
          await expectSettled(w);
        },
      ),
  );

  test.concurrent(
    "a move whose Leave is refused, then the configuration reverted: drift reports the joined group until the next apply leaves it",
    async () =>
      inWorld(seed([{ instanceId: "i-mv", securityGroupIds: ["sg-a"] }], ["sg-a", "sg-b"]), async (w) => {
        w.ws.configure({ alisg_attachment: { m: { instance_id: "i-mv", security_group_id: "sg-a" } } });
        await w.ws.init();
        expectExit(await w.ws.apply(), 0);

        w.ws.configure({ alisg_attachment: { m: { instance_id: "i-mv", security_group_id: "sg-b" } } });
        await w.cloud.clearCalls();
        await w.cloud.setFaults({ script: [{ action: "LeaveSecurityGroup", fault: "forbidden" }] });
        const failed = await w.ws.apply();
        expectExit(failed, 1);
        expect(headlines(failed, "Error")).toEqual([expect.stringMatching(/Forbidden\.RAM/)]);
        expect(await ecsChanges(w.cloud)).toEqual(["Join i-mv sg-b", "Leave i-mv sg-a → Forbidden.RAM"]);
        await w.cloud.clearFaults();
        // The state keeps the old group and records the joined one as pending.
        expect((await stateResources(w.ws)).map((r) => [r.address, r.values])).toEqual([
          [
            "alisg_attachment.m",
            expect.objectContaining({
              instance_id: "i-mv",
              security_group_id: "sg-a",
              pending_security_group_ids: ["sg-b"],
            }),
          ],
        ]);
        expect(await w.cloud.sortedGroupsOf("i-mv")).toEqual(["sg-a", "sg-b"]);
        const drift = await alisg(w.cloud, ["drift", "--dir", w.ws.dir]);
        expectExit(drift, 2);
        expect(drift.stdout).toMatch(/^extra +alisg_attachment\.m +i-mv +sg-b$/m);

        w.ws.configure({ alisg_attachment: { m: { instance_id: "i-mv", security_group_id: "sg-a" } } });
        await w.cloud.clearCalls();
        const revert = await w.ws.apply();
        expectExit(revert, 0);
        expect(await ecsChanges(w.cloud)).toEqual(["Leave i-mv sg-b"]);
        await expectStateTrue(w, "i-mv");
        await expectSettled(w);
        expectExit(await alisg(w.cloud, ["drift", "--dir", w.ws.dir]), 0);
      }),
  );

  // Forcing Terraform's order. `first: "removal"`: the removed resource depended (in state) on a
  // gate that is replaced, and the new resource depends on the new gate, so the removal comes
  // before the gate's destroy, which comes before its create. `first: "creation"`: a tail that
  // depended on the removed resource now depends on the new one and is updated in place, and
  // Terraform updates a dependent before it destroys what it depended on.
  const ordered = (
    first: "removal" | "creation",
    removed: Blocks,
    added: Blocks,
  ): { before: Blocks; after: Blocks } => {
    const addresses = (blocks: Blocks) =>
      Object.entries(blocks).flatMap(([type, named]) => Object.keys(named).map((n) => `${type}.${n}`));
    const withBody = (blocks: Blocks, extra: object): Blocks =>
      Object.fromEntries(
        Object.entries(blocks).map(([type, named]) => [
          type,
          Object.fromEntries(Object.entries(named).map(([n, body]) => [n, { ...body, ...extra }])),
        ]),
      );
    const dependingOn = (blocks: Blocks, on: string): Blocks => withBody(blocks, { depends_on: [on] });
    return first === "removal"
      ? {
          before: {
            ...dependingOn(removed, "terraform_data.gate"),
            terraform_data: { gate: { triggers_replace: "1" } },
          },
          after: {
            ...dependingOn(added, "terraform_data.gate"),
            terraform_data: { gate: { triggers_replace: "2" } },
          },
        }
      : {
          before: {
            ...withBody(removed, { lifecycle: { create_before_destroy: true } }),
            terraform_data: { tail: { input: "1", depends_on: addresses(removed) } },
          },
          after: { ...added, terraform_data: { tail: { input: "2", depends_on: addresses(added) } } },
        };
  };

  test.concurrent.each(["removal", "creation"] as const)(
    "attachments migrated to an authoritative set in one apply, the %s first: warned at plan, ECS keeps both groups, the state matches",
    async (first) =>
      inWorld(
        seed([{ instanceId: "i-mig", securityGroupIds: ["sg-app", "sg-web"] }], ["sg-app", "sg-web"]),
        async (w) => {
          const { before, after } = ordered(
            first,
            { alisg_attachment: { web: { instance_id: "i-mig", security_group_id: "sg-web" } } },
            {
              alisg_instance_security_groups: {
                mig: { instance_id: "i-mig", security_group_ids: ["sg-app", "sg-web"] },
              },
            },
          );
          w.ws.configure(before);
          await w.ws.init();
          expectExit(await w.ws.apply(), 0);
          expect(await ecsChanges(w.cloud)).toEqual([]);

          w.ws.configure(after);
          await w.cloud.clearCalls();
          const plan = await w.ws.plan(["-out", "tfplan"]);
          expectExit(plan, 2);
          expect(await checkPlan(w)).toEqual({
            code: 0,
            findings: ["warning MembershipHandOff alisg_attachment.web,alisg_instance_security_groups.mig"],
            atApply: 0,
          });
          expect(headlines(plan, "Warning")).toEqual([
            expect.stringMatching(
              /^MembershipHandOff: sg-web of i-mig is handed from the removed alisg_attachment for i-mig:sg-web to a new alisg_instance_security_groups for i-mig /,
            ),
          ]);
          const apply = await w.ws.terraform(["apply", "-no-color", "-parallelism=1", "tfplan"]);
          expectExit(apply, 0);
          const destroyed = lineOf(apply, "alisg_attachment.web: Destruction complete");
          const created = lineOf(apply, "alisg_instance_security_groups.mig: Creation complete");
          expect(first === "removal" ? destroyed < created : created < destroyed).toBe(true);
          expect(await ecsChanges(w.cloud)).toEqual(
            first === "removal" ? ["Leave i-mig sg-web", "Join i-mig sg-web"] : [],
          );
          await expectStateTrue(w, "i-mig");
          await expectSettled(w);
        },
      ),
  );

  test.concurrent(
    "a count over 15 groups drops its first element: no DuplicateAttachment, every kept group stays, the next plan is empty",
    async () => {
      const groups = Array.from({ length: 15 }, (_, i) => `sg-${String(i + 1).padStart(2, "0")}`);
      const world = {
        ...seed([{ instanceId: "i-cnt", securityGroupIds: ["sg-base"] }], ["sg-base", ...groups]),
      };
      world.maxSecurityGroupsPerInstance = 20;
      await inWorld(world, async (w) => {
        const counted = (list: string[]) => ({
          alisg_attachment: {
            member: {
              count: list.length,
              instance_id: "i-cnt",
              security_group_id: `\${element(${JSON.stringify(list)}, count.index)}`,
            },
          },
        });
        w.ws.configure(counted(groups), { max_security_groups_per_instance: 20 });
        await w.ws.init();
        expectExit(await w.ws.apply(), 0);
        expect((await ecsChanges(w.cloud)).sort()).toEqual(groups.map((g) => `Join i-cnt ${g}`));

        w.ws.configure(counted(groups.slice(1, 15)), { max_security_groups_per_instance: 20 });
        await w.cloud.clearCalls();
        const plan = await w.ws.plan(["-out", "tfplan"]);
        expectExit(plan, 2);
        // Every kept group changes hands, index to index: the plan warns of each hand-off, and
        // check-plan, given the same group limit, of the same ones. Fifteen changes to one instance
        // are past the order search's bound: the plan says so too (each call is checked at apply).
        const warnings = headlines(plan, "Warning");
        expect(
          warnings
            .filter((h) => h.startsWith("MembershipHandOff"))
            .map((h) => /^MembershipHandOff: (sg-\d+) of i-cnt is handed from /.exec(h)?.[1])
            .sort(),
        ).toEqual(groups.slice(1, 15));
        expect(warnings.filter((h) => !h.startsWith("MembershipHandOff"))).toEqual([
          "TooManyChangesToCheck: i-cnt has too many changes in this plan to check every order Terraform may apply them in",
        ]);
        const members = Array.from({ length: 15 }, (_, i) => `alisg_attachment.member[${i}]`);
        expect(await checkPlan(w, ["--max-security-groups-per-instance", "20"])).toEqual({
          code: 0,
          findings: [
            ...Array.from(
              { length: 14 },
              (_, i) => `warning MembershipHandOff ${[members[i], members[i + 1]].sort().join(",")}`,
            ),
            `warning TooManyChangesToCheck ${[...members].sort().join(",")}`,
          ].sort(),
          atApply: 0,
        });
        expect(plan.stdout).toContain("0 to add, 14 to change, 1 to destroy");
        expect(headlines(plan, "Error")).toEqual([]);
        const apply = await w.ws.terraform(["apply", "-no-color", "tfplan"]);
        expectExit(apply, 0);
        expect(apply.output).not.toContain("DuplicateAttachment");
        // sg-01 is left once and never joined. A kept group (each warned of, above) is not touched,
        // or, where Terraform applied its removal first, left and joined again.
        const changes = await ecsChanges(w.cloud);
        const callsOf = (g: string) => changes.filter((c) => c.endsWith(` ${g}`));
        expect(callsOf("sg-01")).toEqual(["Leave i-cnt sg-01"]);
        for (const g of groups.slice(1, 15)) {
          const calls = callsOf(g);
          if (calls.length === 0) continue;
          expect({ g, calls }).toEqual({ g, calls: [`Leave i-cnt ${g}`, `Join i-cnt ${g}`] });
        }
        expect(changes.length).toBe(1 + 2 * groups.slice(1, 15).filter((g) => callsOf(g).length > 0).length);
        await expectStateTrue(w, "i-cnt", ["sg-base"]);
        expect(await w.cloud.sortedGroupsOf("i-cnt")).toEqual(["sg-base", ...groups.slice(1, 15)].sort());
        await expectSettled(w);
      });
    },
  );

  test.concurrent.each([
    ["b after a", "alisg_attachment.b", "alisg_attachment.a"],
    ["a after b", "alisg_attachment.a", "alisg_attachment.b"],
  ])(
    "two moves chained by depends_on (a: sg-a→sg-b, b: sg-b→sg-c), %s: no DuplicateAttachment, both groups kept, the next plan is empty",
    async (_order, later, earlier) =>
      inWorld(
        seed([{ instanceId: "i-chain", securityGroupIds: ["sg-a", "sg-b"] }], ["sg-a", "sg-b", "sg-c"]),
        async (w) => {
          const config = (a: string, b: string) => {
            const blocks: Record<string, Record<string, unknown>> = {
              a: { instance_id: "i-chain", security_group_id: a },
              b: { instance_id: "i-chain", security_group_id: b },
            };
            blocks[later.split(".")[1]].depends_on = [earlier];
            return { alisg_attachment: blocks };
          };
          w.ws.configure(config("sg-a", "sg-b"));
          await w.ws.init();
          expectExit(await w.ws.apply(), 0);

          w.ws.configure(config("sg-b", "sg-c"));
          await w.cloud.clearCalls();
          const plan = await w.ws.plan(["-out", "tfplan"]);
          expectExit(plan, 2);
          expect(await checkPlan(w)).toEqual({
            code: 0,
            findings: ["warning MembershipHandOff alisg_attachment.a,alisg_attachment.b"],
            atApply: 0,
          });
          expect(headlines(plan, "Error")).toEqual([]);
          // The provider does not see depends_on, so it warns for the order that leaves sg-b first.
          expect(headlines(plan, "Warning")).toEqual([
            expect.stringMatching(
              /^MembershipHandOff: sg-b of i-chain is handed from the alisg_attachment changing i-chain:sg-b to i-chain:sg-c to the alisg_attachment changing i-chain:sg-a to i-chain:sg-b /,
            ),
          ]);
          const apply = await w.ws.terraform(["apply", "-no-color", "tfplan"]);
          expectExit(apply, 0);
          expect(startedIn(apply, "Modifying")).toEqual([earlier, later]);
          expect(apply.output).not.toContain("DuplicateAttachment");
          expect(await ecsChanges(w.cloud)).toEqual(
            earlier === "alisg_attachment.a"
              ? // a takes sg-b first, so b's move does not leave it.
                ["Leave i-chain sg-a", "Join i-chain sg-c"]
              : // b leaves sg-b before a takes it again: the moment the plan warned of.
                ["Join i-chain sg-c", "Leave i-chain sg-b", "Join i-chain sg-b", "Leave i-chain sg-a"],
          );
          await expectStateTrue(w, "i-chain");
          await expectSettled(w);
        },
      ),
  );

  test.concurrent(
    "a replacement whose instance is known only at apply, of the only group: refused at plan, before any call",
    async () =>
      inWorld(seed([{ instanceId: "i-rep1", securityGroupIds: ["sg-r1"] }], ["sg-r1"]), async (w) => {
        const config = (version: string) => ({
          terraform_data: { x: { input: "i-rep1", triggers_replace: version } },
          alisg_attachment: {
            r: { instance_id: "${terraform_data.x.output}", security_group_id: "sg-r1" },
          },
        });
        w.ws.configure(config("1"));
        await w.ws.init();
        expectExit(await w.ws.apply(), 0);
        await expectStateTrue(w, "i-rep1");

        w.ws.configure(config("2"));
        await w.cloud.clearCalls();
        const plan = await w.ws.plan();
        expectExit(plan, 1);
        expect(headlines(plan, "Error")).toEqual([
          expect.stringMatching(/^InstanceLastSecurityGroup: .*sg-r1.*i-rep1/),
        ]);
        const apply = await w.ws.apply();
        expectExit(apply, 1);
        expect(await ecsChanges(w.cloud)).toEqual([]);
        await expectStateTrue(w, "i-rep1");
      }),
  );

  test.concurrent(
    "a replacement whose instance is known only at apply, of one of two groups: a warning at plan, then Leave and Join",
    async () =>
      inWorld(
        seed([{ instanceId: "i-rep2", securityGroupIds: ["sg-r2a", "sg-r2b"] }], ["sg-r2a", "sg-r2b"]),
        async (w) => {
          const config = (version: string) => ({
            terraform_data: { x: { input: "i-rep2", triggers_replace: version } },
            alisg_attachment: {
              r: { instance_id: "${terraform_data.x.output}", security_group_id: "sg-r2b" },
            },
          });
          w.ws.configure(config("1"));
          await w.ws.init();
          expectExit(await w.ws.apply(), 0);

          w.ws.configure(config("2"));
          await w.cloud.clearCalls();
          const plan = await w.ws.plan(["-out", "tfplan"]);
          expectExit(plan, 2);
          expect(await checkPlan(w)).toEqual({
            code: 0,
            findings: ["warning MembershipHandOff alisg_attachment.r"],
            atApply: 1,
          });
          expect(headlines(plan, "Warning")).toEqual([
            expect.stringMatching(/^MembershipHandOff: sg-r2b of i-rep2 /),
          ]);
          const apply = await w.ws.terraform(["apply", "-no-color", "tfplan"]);
          expectExit(apply, 0);
          expect(await ecsChanges(w.cloud)).toEqual(["Leave i-rep2 sg-r2b", "Join i-rep2 sg-r2b"]);
          await expectStateTrue(w, "i-rep2", ["sg-r2a"]);
          await expectSettled(w);
        },
      ),
  );

  test.concurrent.each(["removal", "creation"] as const)(
    "a hand-off to an attachment whose group is known only at apply, the %s first: warned at plan, no Leave unless the removal comes first",
    async (first) =>
      inWorld(
        seed([{ instanceId: "i-u", securityGroupIds: ["sg-base", "sg-u1"] }], ["sg-base", "sg-u1"]),
        async (w) => {
          const { before, after } = ordered(
            first,
            { alisg_attachment: { old: { instance_id: "i-u", security_group_id: "sg-u1" } } },
            {
              alisg_attachment: {
                new: { instance_id: "i-u", security_group_id: "${terraform_data.g.output}" },
              },
            },
          );
          w.ws.configure(before);
          await w.ws.init();
          expectExit(await w.ws.apply(), 0);

          w.ws.configure({ ...after, terraform_data: { ...after.terraform_data, g: { input: "sg-u1" } } });
          await w.cloud.clearCalls();
          const plan = await w.ws.plan(["-out", "tfplan"]);
          expectExit(plan, 2);
          expect(await checkPlan(w)).toEqual({
            code: 0,
            findings: ["warning MembershipHandOff alisg_attachment.new,alisg_attachment.old"],
            atApply: 1,
          });
          expect(headlines(plan, "Warning")).toEqual([
            expect.stringMatching(/^MembershipHandOff: sg-u1 of i-u .*known only at apply/),
          ]);
          const apply = await w.ws.terraform(["apply", "-no-color", "-parallelism=1", "tfplan"]);
          expectExit(apply, 0);
          const destroyed = lineOf(apply, "alisg_attachment.old: Destruction complete");
          const created = lineOf(apply, "alisg_attachment.new: Creation complete");
          expect(first === "removal" ? destroyed < created : created < destroyed).toBe(true);
          expect(await ecsChanges(w.cloud)).toEqual(
            first === "removal" ? ["Leave i-u sg-u1", "Join i-u sg-u1"] : [],
          );
          await expectStateTrue(w, "i-u", ["sg-base"]);
          await expectSettled(w);
        },
      ),
  );
});
