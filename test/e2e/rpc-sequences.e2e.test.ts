import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ScriptedFault } from "../../src/emulator/faults";
import type { RpcTraceLine } from "../../src/provider/plugin/rpc-trace";
import { engineOf } from "../support/engine-ecs";
import { attachment, groupSet } from "../provider/properties/cases";
import { providerBlock } from "../provider/properties/run-case";
import {
  orders,
  Terraform,
  type Config,
  type ResourceConfig,
  type RpcEvent,
} from "../provider/properties/terraform-sim";
import { expectExit, seed, useCloud, type RunResult } from "./harness";

/**
 * The provider-level property tests drive the provider through a simulator
 * of Terraform (test/provider/properties/terraform-sim.ts). This test keeps
 * that simulator honest: for each kind of Terraform operation, it records the
 * resource RPCs terraform 1.11.4 makes to our provider (ALISG_RPC_TRACE) and
 * compares them with the simulator's, per provider process: which calls, for
 * which resource, with or without a prior state, a proposed (or planned)
 * value and private data, and in which order for each resource.
 */
jest.setTimeout(300_000);

const world = () =>
  seed(
    [
      { instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] },
      { instanceId: "i-2", securityGroupIds: ["sg-a"] },
    ],
    ["sg-a", "sg-b", "sg-c", "sg-d"],
  );

interface Scenario {
  readonly name: string;
  /** Applied first (its RPCs are compared too). */
  readonly before: Config;
  /** The commands after it, each compared. */
  readonly steps: readonly Step[];
}

interface Step {
  readonly config: Config;
  /** `apply` (with extra flags), `taint ADDRESS`, `import ADDRESS ID`, `refresh-only`. */
  readonly command: string;
  readonly flags?: readonly string[];
  readonly fault?: ScriptedFault;
  /** The apply fails (the fault). */
  readonly fails?: boolean;
}

const att = attachment;
const set = groupSet;
const config = (...resources: ResourceConfig[]): Config => ({ resources });

const SCENARIOS: Scenario[] = [
  {
    name: "create, update (move), delete",
    before: config(att("a", "i-1", "sg-a"), att("b", "i-1", "sg-b"), set("s", "i-2", ["sg-a"])),
    steps: [{ config: config(att("a", "i-1", "sg-c"), set("s", "i-2", ["sg-a", "sg-d"])), command: "apply" }],
  },
  {
    name: "-replace, with and without create_before_destroy",
    before: config(att("a", "i-1", "sg-a"), att("b", "i-1", "sg-b", { createBeforeDestroy: true })),
    steps: [
      {
        config: config(att("a", "i-1", "sg-a"), att("b", "i-1", "sg-b", { createBeforeDestroy: true })),
        command: "apply",
        flags: ["-replace=alisg_attachment.a", "-replace=alisg_attachment.b"],
      },
    ],
  },
  {
    name: "an instance change (a replacement the provider asks for)",
    before: config(att("a", "i-1", "sg-b")),
    steps: [{ config: config(att("a", "i-2", "sg-b")), command: "apply" }],
  },
  {
    name: "taint, with and without create_before_destroy",
    before: config(att("a", "i-1", "sg-a"), att("b", "i-2", "sg-a", { createBeforeDestroy: true })),
    steps: [
      {
        config: config(att("a", "i-1", "sg-a"), att("b", "i-2", "sg-a", { createBeforeDestroy: true })),
        command: "taint alisg_attachment.a",
      },
      {
        config: config(att("a", "i-1", "sg-a"), att("b", "i-2", "sg-a", { createBeforeDestroy: true })),
        command: "taint alisg_attachment.b",
      },
      {
        config: config(att("a", "i-1", "sg-a"), att("b", "i-2", "sg-a", { createBeforeDestroy: true })),
        command: "apply",
      },
    ],
  },
  {
    name: "import, moved block, removed block (forget)",
    before: config(att("a", "i-1", "sg-a"), att("b", "i-1", "sg-b")),
    steps: [
      {
        config: {
          resources: [att("renamed", "i-1", "sg-a")],
          moved: [{ from: "alisg_attachment.a", to: "alisg_attachment.renamed" }],
          forget: ["alisg_attachment.b"],
        },
        command: "apply",
      },
      {
        config: config(att("renamed", "i-1", "sg-a"), att("c", "i-2", "sg-a")),
        command: "import alisg_attachment.c i-2:sg-a",
      },
      { config: config(att("renamed", "i-1", "sg-a"), att("c", "i-2", "sg-a")), command: "apply" },
    ],
  },
  {
    name: "refresh-only, then -target",
    before: config(att("a", "i-1", "sg-a"), att("b", "i-1", "sg-b")),
    steps: [
      { config: config(att("a", "i-1", "sg-a"), att("b", "i-1", "sg-b")), command: "refresh-only" },
      {
        config: config(att("a", "i-1", "sg-c"), att("b", "i-1", "sg-d")),
        command: "apply",
        flags: ["-target=alisg_attachment.a"],
      },
    ],
  },
  {
    name: "a create_before_destroy whose destroy failed (a deposed object), then the next apply",
    before: config(att("a", "i-1", "sg-b", { createBeforeDestroy: true })),
    steps: [
      {
        config: config(att("a", "i-2", "sg-b", { createBeforeDestroy: true })),
        command: "apply",
        fault: { action: "LeaveSecurityGroup", fault: "forbidden" },
        fails: true,
      },
      { config: config(att("a", "i-2", "sg-b", { createBeforeDestroy: true })), command: "apply" },
    ],
  },
];

/** The configuration as Terraform JSON: resource blocks, moved blocks, removed blocks. */
function tfJson(c: Config): {
  resources: Record<string, Record<string, object>>;
  blocks: Record<string, unknown>;
} {
  const resources: Record<string, Record<string, object>> = {};
  for (const r of c.resources) {
    const [type, name] = r.address.split(".");
    resources[type] = {
      ...resources[type],
      [name]: {
        ...r.attrs,
        ...(r.createBeforeDestroy ? { lifecycle: { create_before_destroy: true } } : {}),
      },
    };
  }
  const blocks: Record<string, unknown> = {};
  if (c.moved) blocks.moved = c.moved.map((m) => ({ from: m.from, to: m.to }));
  if (c.forget) blocks.removed = c.forget.map((from) => ({ from, lifecycle: { destroy: false } }));
  return { resources, blocks };
}

/** One call as both sides are compared: per process, per resource, in the order each resource saw them. */
type Seen = string[][];

function fromTrace(lines: readonly RpcTraceLine[], addressOf: (pair: string) => string): Seen {
  const pids = [...new Set(lines.map((l) => l.pid))];
  return pids.map((pid) =>
    perResource(
      lines
        .filter((l) => l.pid === pid)
        .map((l) => {
          const value = (l.prior ??
            l.next ??
            (Array.isArray(l.answer.state) ? l.answer.state[0] : l.answer.state)) as Record<string, unknown>;
          const pair =
            "security_group_id" in value
              ? `${value.instance_id}:${value.security_group_id}`
              : `${value.instance_id}`;
          return {
            address: addressOf(pair),
            text: `${l.rpc} prior=${l.rpc === "ImportResourceState" ? "-" : l.prior === null ? "null" : "set"} next=${l.rpc === "ReadResource" || l.rpc === "ImportResourceState" ? "-" : l.next === null ? "null" : "set"} private=${l.private ? "yes" : "no"}`,
          };
        }),
    ),
  );
}

function fromSim(events: readonly RpcEvent[]): Seen {
  const processes = [...new Set(events.map((e) => e.process))];
  return processes.map((p) =>
    perResource(
      events
        .filter((e) => e.process === p)
        .map((e) => ({
          address: e.address,
          text: `${e.rpc} prior=${e.rpc === "ImportResourceState" ? "-" : e.priorNull ? "null" : "set"} next=${e.rpc === "ReadResource" || e.rpc === "ImportResourceState" ? "-" : e.nextNull ? "null" : "set"} private=${e.withPrivate ? "yes" : "no"}`,
        })),
    ),
  );
}

/**
 * Each resource's calls in order, the resources sorted (Terraform calls several at once). A
 * resource with two objects in one process (its current and a deposed one: read twice) has them
 * read and planned by separate graph nodes, interleaved in any order: its calls are compared as a
 * set, sorted.
 */
function perResource(calls: { address: string; text: string }[]): string[] {
  const by = new Map<string, string[]>();
  for (const c of calls) by.set(c.address, [...(by.get(c.address) ?? []), c.text]);
  const twoObjects = (texts: string[]) => texts.filter((t) => t.startsWith("ReadResource ")).length > 1;
  return [...by]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([a, texts]) => `${a}: ${(twoObjects(texts) ? [...texts].sort() : texts).join(" → ")}`);
}

describe("the Terraform simulator makes the calls terraform 1.11.4 makes", () => {
  const env = useCloud(world);

  test.each(SCENARIOS.map((s) => [s.name, s] as const))("%s", async (_name, scenario) => {
    const trace = join(env.ws.dir, "rpc-trace.jsonl");
    const sim = new Terraform(engineOf(world()), providerBlock(2, 5));
    const addresses = new Map<string, string>();
    const learn = (c: Config) => {
      for (const r of c.resources) {
        const a = r.attrs;
        addresses.set(
          a.security_group_id ? `${a.instance_id}:${a.security_group_id}` : `${a.instance_id}`,
          r.address,
        );
      }
    };
    const real = async (args: string[], expected: number): Promise<Seen> => {
      rmSync(trace, { force: true });
      const r: RunResult = await env.ws.terraform(args, { ALISG_RPC_TRACE: trace });
      expectExit(r, expected);
      let text = "";
      try {
        text = readFileSync(trace, "utf8");
      } catch {
        return [];
      }
      const lines = text
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as RpcTraceLine);
      return fromTrace(lines, (pair) => addresses.get(pair) ?? pair);
    };
    const simulated = async (step: Step): Promise<Seen> => {
      const from = sim.rpcs.length;
      const [verb, ...rest] = step.command.split(" ");
      if (verb === "taint") sim.taint(rest[0]);
      else if (verb === "import")
        await sim.import(
          step.config.resources.find((r) => r.address === rest[0])!,
          rest[1],
        );
      else if (verb === "refresh-only") await sim.refreshOnly(step.config);
      else {
        const replace = (step.flags ?? []).filter((f) => f.startsWith("-replace=")).map((f) => f.slice(9));
        const target = (step.flags ?? []).filter((f) => f.startsWith("-target=")).map((f) => f.slice(8));
        const plan = await sim.plan(step.config, { replace, ...(target.length > 0 ? { target } : {}) });
        if (step.fault) sim.engine.faults.configure({ ...sim.engine.faults.current(), script: [step.fault] });
        await sim.applyPlan(plan, step.config, orders(sim.applyNodes(plan), 1)[0]);
        sim.engine.faults.configure({ ...sim.engine.faults.current(), script: [] });
      }
      return fromSim(sim.rpcs.slice(from));
    };

    const first = tfJson(scenario.before);
    learn(scenario.before);
    env.ws.configure(first.resources, {}, first.blocks);
    await env.ws.init();
    const realFirst = await real(["apply", "-no-color", "-auto-approve"], 0);
    expect(realFirst).toEqual(await simulated({ config: scenario.before, command: "apply" }));
    for (const step of scenario.steps) {
      learn(step.config);
      const { resources, blocks } = tfJson(step.config);
      env.ws.configure(resources, {}, blocks);
      const [verb, ...rest] = step.command.split(" ");
      const args =
        verb === "taint"
          ? ["taint", "-no-color", ...rest]
          : verb === "import"
            ? ["import", "-no-color", ...rest]
            : verb === "refresh-only"
              ? ["apply", "-no-color", "-auto-approve", "-refresh-only"]
              : ["apply", "-no-color", "-auto-approve", ...(step.flags ?? [])];
      if (step.fault) await env.cloud.setFaults({ script: [step.fault] });
      const seen = await real(args, step.fails ? 1 : 0);
      await env.cloud.clearFaults();
      expect({ step: step.command, seen }).toEqual({ step: step.command, seen: await simulated(step) });
    }
  });
});
