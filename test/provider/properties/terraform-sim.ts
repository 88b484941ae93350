/**
 * A small simulator of how Terraform (1.11) calls a provider, for the
 * provider-level property tests: the real provider definition (the object the
 * gRPC server calls), driven with PlanResourceChange, ApplyResourceChange,
 * ReadResource and ImportResourceState exactly as Terraform makes those calls,
 * against the emulator's engine.
 *
 * What it reproduces (read in Terraform's source, internal/terraform, and
 * checked against the real binary by test/e2e/rpc-sequences.e2e.test.ts):
 * - one provider process for the plan walk and a new one for the apply walk;
 * - the plan walk: for each resource instance of the configuration, a refresh
 *   (ReadResource of the current object and of each deposed one), then its
 *   planning call (a resource only the state still has: its delete planned
 *   first, then the refresh; one a removed block forgets: no call at all):
 *   with the prior state and private data; a second call with a null prior and
 *   the first call's private data when the provider asks for a replacement (or
 *   `-replace`); a tainted object planned as a create with no prior state and
 *   no private data, then shown as a replacement; a removed block with
 *   `destroy = false` planned as a forget; a deposed object
 *   planned as a delete;
 * - the apply walk: creates and updates planned again (prior state, or null for
 *   the new half of a replacement, and the state's private data) right before
 *   ApplyResourceChange; deletes applied with the plan's private data; a
 *   replacement's halves in their order (`create_before_destroy`: the old
 *   object deposed, the new one created, then the deposed one planned again
 *   and deleted); a failed create that returned an object is tainted; a failed
 *   delete keeps what it returned; a failed half stops the other half;
 * - `-target`, `-replace`, `terraform taint`, `apply -refresh-only`,
 *   `terraform import`, `moved` blocks (the state is moved before planning).
 *
 * The apply walk's nodes run one event at a time, in any order their
 * dependencies allow: `applyPlan` takes the order to use.
 */
import type { EmulatorEngine } from "../../../src/emulator/engine";
import { createProviderDefinition } from "../../../src/provider/resources/provider";
import type { BatchTiming } from "../../../src/provider/guard/batcher";

/** Batches of the calls that ask together, sent at once: the simulator answers describes in-process. */
const QUICK_BATCHES: BatchTiming = { quietMs: 0, maxWaitMs: 1, oneAtATime: false };
import type { Diagnostic, ObjectValue, ProviderDefinition, Value } from "../../../src/provider/plugin/types";
import { isUnknown, unknown } from "../../../src/provider/plugin/types";
import { engineClient, type MutationRecord } from "../../support/engine-ecs";
import { groupsOf, idAttributeOf, isAttachment } from "./subjects";

export type ResourceType =
  | "alisg_attachment"
  | "alisg_instance_security_groups"
  | "alisg_network_interface_attachment"
  | "alisg_network_interface_security_groups";

/** A configuration value: a literal, or one known only at apply (e.g. an output of a resource replaced in the same plan). */
export type Expr =
  string | boolean | null | readonly string[] | { readonly later: string | readonly string[] };

export interface ResourceConfig {
  /** `alisg_attachment.r1` */
  readonly address: string;
  readonly type: ResourceType;
  /** `instance_id` (`network_interface_id`), `security_group_id` / `security_group_ids`, `retain_on_delete`. */
  readonly attrs: Readonly<Record<string, Expr>>;
  readonly createBeforeDestroy?: boolean;
  /** Addresses this resource's create or update waits for. */
  readonly dependsOn?: readonly string[];
}

export interface Config {
  readonly resources: readonly ResourceConfig[];
  readonly moved?: readonly { readonly from: string; readonly to: string }[];
  /** Addresses in a `removed` block with `lifecycle { destroy = false }`. */
  readonly forget?: readonly string[];
}

export interface StoredObject {
  readonly value: ObjectValue;
  readonly private: Buffer;
  readonly tainted: boolean;
}

export interface StateEntry {
  readonly type: ResourceType;
  current?: StoredObject;
  readonly deposed: Map<string, StoredObject>;
}

export type TfState = Map<string, StateEntry>;

export type Action = "create" | "update" | "delete" | "replace" | "noop" | "forget";

export interface PlannedChange {
  readonly address: string;
  readonly type: ResourceType;
  /** Set for a deposed object's delete. */
  readonly deposedKey?: string;
  readonly action: Action;
  /** A replacement's order. */
  readonly createBeforeDestroy: boolean;
  /** Why a replacement: a tainted object, `-replace`, or an attribute that forces one. */
  readonly reason?: "tainted" | "replace" | "requires";
  readonly before: ObjectValue | null;
  readonly after: ObjectValue | null;
  /** The planned private data of the last planning call. */
  readonly private: Buffer;
  readonly config?: ResourceConfig;
}

export interface AddressedDiagnostic extends Diagnostic {
  readonly address: string;
}

export interface Plan {
  readonly changes: readonly PlannedChange[];
  readonly diagnostics: readonly AddressedDiagnostic[];
  readonly refused: boolean;
  /** The addresses planned (all, or the targets). */
  readonly targets?: readonly string[];
}

/** One provider call, as the RPC comparison with the real binary sees it. */
export interface RpcEvent {
  /** Which provider process (0, 1, ... in the order Terraform starts them). */
  readonly process: number;
  readonly rpc: "ReadResource" | "PlanResourceChange" | "ApplyResourceChange" | "ImportResourceState";
  readonly address: string;
  /** Prior (read: current) state is null. */
  readonly priorNull: boolean;
  /** Proposed (apply: planned) state is null. */
  readonly nextNull: boolean;
  /** Private data sent: none, or what the provider returned from which call. */
  readonly withPrivate: boolean;
}

/** What one ApplyResourceChange returned, and what ECS had right then. */
export interface AppliedAnswer {
  readonly address: string;
  readonly state: ObjectValue | null;
  readonly failed: boolean;
  /** The groups of the instance or ENI the returned state names (undefined: it does not exist). */
  readonly groupsThen: readonly string[] | undefined;
}

export interface ApplyResult {
  readonly diagnostics: readonly AddressedDiagnostic[];
  readonly failed: boolean;
}

export interface PlanOptions {
  readonly replace?: readonly string[];
  readonly target?: readonly string[];
  readonly refresh?: boolean;
}

/** The nodes of an apply walk; `events` of each are run one at a time, in an order `order` picks. */
export interface ApplyNode {
  readonly id: string;
  readonly events: number;
  readonly after: readonly string[];
}

const EMPTY = Buffer.alloc(0);

export class Terraform {
  state: TfState = new Map();
  readonly rpcs: RpcEvent[] = [];
  /** Every Join and Leave the engine answered, in order. */
  readonly mutations: MutationRecord[] = [];
  /** Every ApplyResourceChange answer, with the instance's groups in ECS at that moment. */
  readonly answers: AppliedAnswer[] = [];
  private processes = 0;

  constructor(
    readonly engine: EmulatorEngine,
    private readonly providerBlock: ObjectValue,
  ) {}

  /** A copy sharing nothing mutable (for exploring another order from the same point). */
  fork(engine: EmulatorEngine): Terraform {
    const t = new Terraform(engine, this.providerBlock);
    t.state = cloneState(this.state);
    t.processes = this.processes;
    return t;
  }

  /** A new provider process: a fresh definition, configured. */
  async provider(): Promise<{ def: ProviderDefinition; process: number }> {
    const def = createProviderDefinition(
      {},
      (settings) =>
        engineClient(
          this.engine,
          { maxRetries: settings.client.maxRetries, signal: settings.client.signal },
          (m) => this.mutations.push(m),
        ),
      // Describes are answered in-process: no need to wait for Terraform's next calls.
      { batchTiming: { planning: QUICK_BATCHES, applying: QUICK_BATCHES } },
    );
    const diags = await def.configureProvider(this.providerBlock, "1.11.4");
    if (diags.some((d) => d.severity === "error")) {
      throw new Error(`provider configuration failed: ${diags.map((d) => d.summary).join("; ")}`);
    }
    return { def, process: this.processes++ };
  }

  /** `terraform taint ADDRESS` (no provider call). */
  taint(address: string): void {
    const e = this.state.get(address);
    if (!e?.current) throw new Error(`taint: no object at ${address}`);
    e.current = { ...e.current, tainted: true };
  }

  /** `terraform import ADDRESS ID`: ImportResourceState, then ReadResource of what it returned. */
  async import(config: ResourceConfig, id: string): Promise<AddressedDiagnostic[]> {
    const { def, process } = await this.provider();
    const res = await def.importResourceState({ typeName: config.type, id });
    this.record(process, "ImportResourceState", config.address, true, true, false);
    const diagnostics = addressed(config.address, res.diagnostics);
    if (errors(diagnostics) || res.resources.length === 0) return diagnostics;
    const imported = res.resources[0];
    const read = await def.readResource({
      typeName: config.type,
      currentState: imported.state,
      private: imported.private ?? EMPTY,
    });
    this.record(process, "ReadResource", config.address, false, false, (imported.private?.length ?? 0) > 0);
    diagnostics.push(...addressed(config.address, read.diagnostics));
    if (read.newState) {
      this.state.set(config.address, {
        type: config.type,
        current: { value: read.newState, private: read.private ?? EMPTY, tainted: false },
        deposed: new Map(),
      });
    }
    return diagnostics;
  }

  /** `terraform apply -refresh-only`: every object read, the state written, no change made. */
  async refreshOnly(config: Config): Promise<AddressedDiagnostic[]> {
    this.applyMoves(config);
    const { def, process } = await this.provider();
    const diagnostics: AddressedDiagnostic[] = [];
    for (const address of [...this.state.keys()].sort())
      diagnostics.push(...(await this.refresh(def, process, address)));
    return diagnostics;
  }

  /** The plan walk. `order` shuffles the resources planned (their answers must not depend on it). */
  async plan(
    config: Config,
    options: PlanOptions = {},
    shuffle: <T>(xs: T[]) => T[] = (xs) => xs,
  ): Promise<Plan> {
    this.applyMoves(config);
    const { def, process } = await this.provider();
    const byAddress = new Map(config.resources.map((r) => [r.address, r]));
    const forget = new Set(config.forget ?? []);
    const all = [...new Set([...byAddress.keys(), ...this.state.keys()])].sort();
    const wanted = options.target ? closure(options.target, config) : undefined;
    const addresses = shuffle(all.filter((a) => !wanted || wanted.has(a)));
    const changes: PlannedChange[] = [];
    const diagnostics: AddressedDiagnostic[] = [];
    for (const address of addresses) {
      const rc = byAddress.get(address);
      // terraform 1.11 (as recorded): a resource left only in the state is planned for deletion first and
      // refreshed after; one a removed block forgets is not refreshed at all.
      const orphan = !rc && this.state.has(address);
      if (options.refresh !== false && !orphan)
        diagnostics.push(...(await this.refresh(def, process, address)));
      const entry = this.state.get(address);
      for (const [key, obj] of entry?.deposed ?? []) {
        const res = await def.planResourceChange({
          typeName: entry!.type,
          priorState: obj.value,
          proposedNewState: null,
          config: null,
          priorPrivate: obj.private,
        });
        this.record(process, "PlanResourceChange", address, false, true, obj.private.length > 0);
        diagnostics.push(...addressed(address, res.diagnostics));
        changes.push({
          address,
          type: entry!.type,
          deposedKey: key,
          action: "delete",
          createBeforeDestroy: false,
          before: obj.value,
          after: null,
          private: res.plannedPrivate ?? obj.private,
        });
      }
      const current = entry?.current;
      if (!rc) {
        if (!current) continue;
        if (forget.has(address)) {
          changes.push({
            address,
            type: entry!.type,
            action: "forget",
            createBeforeDestroy: false,
            before: current.value,
            after: null,
            private: EMPTY,
          });
          continue;
        }
        const res = await def.planResourceChange({
          typeName: entry!.type,
          priorState: current.value,
          proposedNewState: null,
          config: null,
          priorPrivate: current.private,
        });
        this.record(process, "PlanResourceChange", address, false, true, current.private.length > 0);
        diagnostics.push(...addressed(address, res.diagnostics));
        changes.push({
          address,
          type: entry!.type,
          action: "delete",
          createBeforeDestroy: false,
          before: current.value,
          after: null,
          private: res.plannedPrivate ?? current.private,
        });
        if (options.refresh !== false) diagnostics.push(...(await this.refresh(def, process, address)));
        continue;
      }
      const cbd = rc.createBeforeDestroy === true;
      const values = configValues(rc, "plan");
      const prior = current && !current.tainted ? current : undefined;
      const first = await def.planResourceChange({
        typeName: rc.type,
        priorState: prior?.value ?? null,
        proposedNewState: proposedNew(rc.type, values, prior?.value ?? null),
        config: configObject(rc.type, values),
        priorPrivate: prior?.private ?? EMPTY,
      });
      this.record(process, "PlanResourceChange", address, !prior, false, (prior?.private.length ?? 0) > 0);
      diagnostics.push(...addressed(address, first.diagnostics));
      let planned = first.plannedState;
      let priv = first.plannedPrivate ?? prior?.private ?? EMPTY;
      let action: Action;
      let reason: PlannedChange["reason"];
      const forced = options.replace?.includes(address) === true;
      if (prior && ((first.requiresReplace?.length ?? 0) > 0 || forced)) {
        const second = await def.planResourceChange({
          typeName: rc.type,
          priorState: null,
          proposedNewState: proposedNew(rc.type, values, null),
          config: configObject(rc.type, values),
          priorPrivate: priv,
        });
        this.record(process, "PlanResourceChange", address, true, false, priv.length > 0);
        // Terraform reports the second call's warnings only with an error (they repeat the first's).
        if (errors(addressed(address, second.diagnostics)))
          diagnostics.push(...addressed(address, second.diagnostics));
        planned = second.plannedState;
        priv = second.plannedPrivate ?? priv;
        action = "replace";
        reason = forced ? "replace" : "requires";
      } else if (!prior) {
        action = current?.tainted ? "replace" : "create";
        reason = current?.tainted ? "tainted" : undefined;
      } else {
        action = sameValue(planned, prior.value) ? "noop" : "update";
      }
      changes.push({
        address,
        type: rc.type,
        action,
        createBeforeDestroy: cbd,
        reason,
        before: current?.value ?? null,
        after: planned,
        private: priv,
        config: rc,
      });
    }
    return { changes, diagnostics, refused: errors(diagnostics), targets: wanted ? [...wanted] : undefined };
  }

  /** The nodes of the apply walk of `plan`, for choosing an order; `extra`: nodes of another provider, one event each. */
  applyNodes(plan: Plan, extra: readonly string[] = []): ApplyNode[] {
    return [
      ...this.walk(plan).map((n) => ({ id: n.id, events: n.events.length, after: n.after })),
      ...extra.map((id) => ({ id, events: 1, after: [] })),
    ];
  }

  /**
   * The apply walk: `order` is the sequence of node IDs to run events of (as
   * many times as each node has events). A node whose dependency failed is
   * skipped.
   */
  async applyPlan(
    plan: Plan,
    config: Config,
    order: readonly string[],
    options: {
      readonly force?: boolean;
      /** Nodes of another provider (e.g. the alicloud provider's instance updates), run in the same walk. */
      readonly extra?: ReadonlyMap<string, () => Promise<void>>;
    } = {},
  ): Promise<ApplyResult> {
    const { def, process } = await this.provider();
    const nodes = [
      ...this.walk(plan),
      ...[...(options.extra ?? [])].map(([id, run]): WalkNode => ({
        id,
        after: [],
        events: [async () => (await run(), true)],
      })),
    ];
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const done = new Map<string, number>();
    const failed = new Set<string>();
    const diagnostics: AddressedDiagnostic[] = [];
    const ctx: WalkContext = {
      def,
      process,
      config,
      diagnostics,
      scratch: new Map(),
      force: options.force === true,
    };
    for (const id of order) {
      const node = byId.get(id);
      if (!node) throw new Error(`no apply node ${id}`);
      const n = done.get(id) ?? 0;
      if (n >= node.events.length) throw new Error(`apply node ${id} has only ${node.events.length} events`);
      done.set(id, n + 1);
      if (failed.has(id) || node.after.some((a) => failed.has(a))) {
        failed.add(id);
        continue;
      }
      if (node.after.some((a) => (done.get(a) ?? 0) < byId.get(a)!.events.length)) {
        throw new Error(`order runs ${id} before ${node.after.join(", ")} is done`);
      }
      const ok = await node.events[n](ctx);
      if (!ok) failed.add(id);
    }
    return { diagnostics, failed: errors(diagnostics) };
  }

  private walk(plan: Plan): WalkNode[] {
    const nodes: WalkNode[] = [];
    const ids = new Map<string, string>();
    for (const c of plan.changes) {
      const tag = c.deposedKey ? `${c.address} (deposed ${c.deposedKey})` : c.address;
      switch (c.action) {
        case "noop":
          break;
        case "forget":
          nodes.push({ id: `forget ${tag}`, after: [], events: [async () => this.forgetObject(c)] });
          break;
        case "create":
        case "update":
          ids.set(c.address, `apply ${tag}`);
          nodes.push({
            id: `apply ${tag}`,
            after: [],
            events: [
              (ctx) => this.replan(ctx, c, c.action === "update"),
              (ctx) => this.applyReplanned(ctx, c),
            ],
          });
          break;
        case "delete":
          nodes.push({
            id: `destroy ${tag}`,
            after: [],
            events: c.deposedKey
              ? [(ctx) => this.planDeposedDelete(ctx, c), (ctx) => this.applyDeposedDelete(ctx, c)]
              : [(ctx) => this.applyDelete(ctx, c)],
          });
          break;
        case "replace":
          if (c.createBeforeDestroy) {
            const create = `apply ${tag}`;
            ids.set(c.address, create);
            nodes.push({
              id: create,
              after: [],
              events: [(ctx) => this.deposeAndReplan(ctx, c), (ctx) => this.applyReplanned(ctx, c)],
            });
            nodes.push({
              id: `destroy ${tag} (deposed)`,
              after: [create],
              events: [(ctx) => this.planDeposedDelete(ctx, c), (ctx) => this.applyDeposedDelete(ctx, c)],
            });
          } else {
            const destroy = `destroy ${tag}`;
            nodes.push({ id: destroy, after: [], events: [(ctx) => this.applyDelete(ctx, c)] });
            ids.set(c.address, `apply ${tag}`);
            nodes.push({
              id: `apply ${tag}`,
              after: [destroy],
              events: [(ctx) => this.replan(ctx, c, false), (ctx) => this.applyReplanned(ctx, c)],
            });
          }
          break;
      }
    }
    // depends_on: a create or update waits for its dependencies' creates and updates.
    for (const c of plan.changes) {
      const id = ids.get(c.address);
      const node = nodes.find((n) => n.id === id);
      if (!node || !c.config?.dependsOn) continue;
      const deps = c.config.dependsOn.flatMap((d) => (ids.has(d) ? [ids.get(d)!] : []));
      node.after = [...node.after, ...deps];
    }
    return nodes;
  }

  private async forgetObject(c: PlannedChange): Promise<boolean> {
    const e = this.state.get(c.address);
    if (e) e.current = undefined;
    this.prune(c.address);
    return true;
  }

  /** CBD: the current object becomes deposed, then the new one is planned. */
  private async deposeAndReplan(ctx: WalkContext, c: PlannedChange): Promise<boolean> {
    const e = this.state.get(c.address)!;
    if (e.current) {
      const key = `d${e.deposed.size + 1}${Math.abs(hash(c.address)) % 1000}`;
      e.deposed.set(key, e.current);
      e.current = undefined;
      ctx.scratch.set(`deposed ${c.address}`, key);
    }
    return this.replan(ctx, c, false);
  }

  /** The apply walk's planning call for a create or update, right before applying it. */
  private async replan(ctx: WalkContext, c: PlannedChange, update: boolean): Promise<boolean> {
    const rc = c.config!;
    const values = configValues(rc, "apply");
    const current = update ? this.state.get(c.address)?.current : undefined;
    const res = await ctx.def.planResourceChange({
      typeName: rc.type,
      priorState: current?.value ?? null,
      proposedNewState: proposedNew(rc.type, values, current?.value ?? null),
      config: configObject(rc.type, values),
      priorPrivate: current?.private ?? EMPTY,
    });
    this.record(
      ctx.process,
      "PlanResourceChange",
      c.address,
      !current,
      false,
      (current?.private.length ?? 0) > 0,
    );
    const diags = addressed(c.address, res.diagnostics);
    // Forced past planning errors, they are not what the apply met.
    if (!ctx.force) ctx.diagnostics.push(...diags);
    ctx.scratch.set(`planned ${c.address}`, {
      state: res.plannedState,
      private: res.plannedPrivate ?? EMPTY,
      prior: current?.value ?? null,
    });
    return ctx.force || !errors(diags);
  }

  private async applyReplanned(ctx: WalkContext, c: PlannedChange): Promise<boolean> {
    const planned = ctx.scratch.get(`planned ${c.address}`) as {
      state: ObjectValue | null;
      private: Buffer;
      prior: ObjectValue | null;
    };
    const rc = c.config!;
    const res = await ctx.def.applyResourceChange({
      typeName: rc.type,
      priorState: planned.prior,
      plannedState: planned.state,
      config: configObject(rc.type, configValues(rc, "apply")),
      plannedPrivate: planned.private,
    });
    this.record(
      ctx.process,
      "ApplyResourceChange",
      c.address,
      planned.prior === null,
      false,
      planned.private.length > 0,
    );
    const diags = addressed(c.address, res.diagnostics);
    ctx.diagnostics.push(...diags);
    const failed = errors(diags);
    this.answered(c.address, res.newState, failed);
    const e = this.entry(c.address, rc.type);
    if (res.newState) {
      // A create that failed but returned an object is tainted; an update keeps the object's status.
      const tainted = failed && (planned.prior === null || (e.current?.tainted ?? false));
      e.current = { value: res.newState, private: res.private ?? EMPTY, tainted };
    } else if (!failed) {
      e.current = undefined;
    }
    if (failed && !res.newState && c.action === "replace" && c.createBeforeDestroy) {
      // The new object was not made: the deposed one becomes current again.
      const key = ctx.scratch.get(`deposed ${c.address}`) as string | undefined;
      if (key && !e.current) {
        e.current = e.deposed.get(key);
        e.deposed.delete(key);
      }
    }
    this.prune(c.address);
    return !failed;
  }

  private async applyDelete(ctx: WalkContext, c: PlannedChange): Promise<boolean> {
    const e = this.state.get(c.address);
    const obj = e?.current;
    if (!obj) return true;
    const res = await ctx.def.applyResourceChange({
      typeName: c.type,
      priorState: obj.value,
      plannedState: null,
      config: null,
      plannedPrivate: c.private,
    });
    this.record(ctx.process, "ApplyResourceChange", c.address, false, true, c.private.length > 0);
    const diags = addressed(c.address, res.diagnostics);
    ctx.diagnostics.push(...diags);
    const failed = errors(diags);
    this.answered(c.address, res.newState, failed);
    if (res.newState) e!.current = { ...obj, value: res.newState, private: res.private ?? obj.private };
    else if (!failed) e!.current = undefined;
    this.prune(c.address);
    return !failed;
  }

  private deposedKeyOf(ctx: WalkContext, c: PlannedChange): string | undefined {
    return c.deposedKey ?? (ctx.scratch.get(`deposed ${c.address}`) as string | undefined);
  }

  /** A deposed object's delete is planned again in the apply walk, with its own private data. */
  private async planDeposedDelete(ctx: WalkContext, c: PlannedChange): Promise<boolean> {
    const key = this.deposedKeyOf(ctx, c);
    const obj = key ? this.state.get(c.address)?.deposed.get(key) : undefined;
    if (!obj) return true;
    const res = await ctx.def.planResourceChange({
      typeName: c.type,
      priorState: obj.value,
      proposedNewState: null,
      config: null,
      priorPrivate: obj.private,
    });
    this.record(ctx.process, "PlanResourceChange", c.address, false, true, obj.private.length > 0);
    const diags = addressed(c.address, res.diagnostics);
    if (!ctx.force) ctx.diagnostics.push(...diags);
    ctx.scratch.set(`deposed-plan ${c.address}`, res.plannedPrivate ?? obj.private);
    return ctx.force || !errors(diags);
  }

  private async applyDeposedDelete(ctx: WalkContext, c: PlannedChange): Promise<boolean> {
    const key = this.deposedKeyOf(ctx, c);
    const e = this.state.get(c.address);
    const obj = key ? e?.deposed.get(key) : undefined;
    if (!obj || !key) return true;
    const priv = (ctx.scratch.get(`deposed-plan ${c.address}`) as Buffer | undefined) ?? obj.private;
    const res = await ctx.def.applyResourceChange({
      typeName: c.type,
      priorState: obj.value,
      plannedState: null,
      config: null,
      plannedPrivate: priv,
    });
    this.record(ctx.process, "ApplyResourceChange", c.address, false, true, priv.length > 0);
    const diags = addressed(c.address, res.diagnostics);
    ctx.diagnostics.push(...diags);
    const failed = errors(diags);
    this.answered(c.address, res.newState, failed);
    if (res.newState)
      e!.deposed.set(key, { ...obj, value: res.newState, private: res.private ?? obj.private });
    else if (!failed) e!.deposed.delete(key);
    this.prune(c.address);
    return !failed;
  }

  /** ReadResource of an address's current and deposed objects. */
  private async refresh(
    def: ProviderDefinition,
    process: number,
    address: string,
  ): Promise<AddressedDiagnostic[]> {
    const e = this.state.get(address);
    if (!e) return [];
    const diagnostics: AddressedDiagnostic[] = [];
    const read = async (obj: StoredObject): Promise<StoredObject | undefined> => {
      const res = await def.readResource({ typeName: e.type, currentState: obj.value, private: obj.private });
      this.record(process, "ReadResource", address, false, false, obj.private.length > 0);
      diagnostics.push(...addressed(address, res.diagnostics));
      return res.newState ? { ...obj, value: res.newState, private: res.private ?? obj.private } : undefined;
    };
    if (e.current) e.current = await read(e.current);
    for (const [key, obj] of [...e.deposed]) {
      const now = await read(obj);
      if (now) e.deposed.set(key, now);
      else e.deposed.delete(key);
    }
    this.prune(address);
    return diagnostics;
  }

  private applyMoves(config: Config): void {
    for (const m of config.moved ?? []) {
      const from = this.state.get(m.from);
      if (!from || this.state.has(m.to)) continue;
      this.state.delete(m.from);
      this.state.set(m.to, from);
    }
  }

  private answered(address: string, state: ObjectValue | null, failed: boolean): void {
    const named = state?.instance_id ?? state?.network_interface_id;
    const groupsThen = typeof named === "string" ? groupsOf(this.engine.state(), named) : undefined;
    this.answers.push({ address, state, failed, groupsThen });
  }

  private entry(address: string, type: ResourceType): StateEntry {
    let e = this.state.get(address);
    if (!e) {
      e = { type, deposed: new Map() };
      this.state.set(address, e);
    }
    return e;
  }

  private prune(address: string): void {
    const e = this.state.get(address);
    if (e && !e.current && e.deposed.size === 0) this.state.delete(address);
  }

  private record(
    process: number,
    rpc: RpcEvent["rpc"],
    address: string,
    priorNull: boolean,
    nextNull: boolean,
    withPrivate: boolean,
  ): void {
    this.rpcs.push({ process, rpc, address, priorNull, nextNull, withPrivate });
  }
}

interface WalkContext {
  readonly def: ProviderDefinition;
  readonly process: number;
  readonly config: Config;
  readonly diagnostics: AddressedDiagnostic[];
  readonly scratch: Map<string, unknown>;
  /** Go on past planning errors (a plan applied as if it had passed, to see what ECS does). */
  readonly force: boolean;
}

interface WalkNode {
  readonly id: string;
  after: readonly string[];
  readonly events: readonly ((ctx: WalkContext) => Promise<boolean>)[];
}

/** The resource's attribute values at plan time (unknown where known only at apply) or at apply. */
export function configValues(rc: ResourceConfig, when: "plan" | "apply"): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(rc.attrs)) {
    if (v !== null && typeof v === "object" && "later" in v) {
      out[k] = when === "plan" ? unknown : typeof v.later === "string" ? v.later : [...v.later].sort();
    } else if (Array.isArray(v)) out[k] = [...v].sort();
    else out[k] = v as Value;
  }
  return out;
}

/** The configuration object Terraform sends: every attribute, computed ones null. */
export function configObject(type: ResourceType, values: Record<string, Value>): ObjectValue {
  const idName = idAttributeOf(type);
  return isAttachment(type)
    ? {
        id: null,
        [idName]: values[idName] ?? null,
        security_group_id: values.security_group_id ?? null,
        retain_on_delete: values.retain_on_delete ?? null,
        pending_security_group_ids: null,
        timeouts: null,
      }
    : {
        id: null,
        [idName]: values[idName] ?? null,
        security_group_ids: values.security_group_ids ?? null,
        timeouts: null,
      };
}

/** Terraform's proposed new value: the configuration, with computed attributes taken from the prior state. */
export function proposedNew(
  type: ResourceType,
  values: Record<string, Value>,
  prior: ObjectValue | null,
): ObjectValue {
  const config = configObject(type, values);
  const computed = isAttachment(type) ? ["id", "pending_security_group_ids"] : ["id"];
  return { ...config, ...Object.fromEntries(computed.map((k) => [k, prior ? prior[k] : null])) };
}

function closure(targets: readonly string[], config: Config): Set<string> {
  const out = new Set<string>();
  const visit = (a: string) => {
    if (out.has(a)) return;
    out.add(a);
    for (const d of config.resources.find((r) => r.address === a)?.dependsOn ?? []) visit(d);
  };
  targets.forEach(visit);
  return out;
}

export function errors(d: readonly Diagnostic[]): boolean {
  return d.some((x) => x.severity === "error");
}

function addressed(address: string, d: readonly Diagnostic[] | undefined): AddressedDiagnostic[] {
  return (d ?? []).map((x) => ({ ...x, address }));
}

export function sameValue(a: Value | null | undefined, b: Value | null | undefined): boolean {
  return canonical(a ?? null) === canonical(b ?? null);
}

function canonical(v: Value): string {
  if (isUnknown(v)) return "<unknown>";
  if (Array.isArray(v)) return `[${v.map(canonical).sort().join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}:${canonical((v as ObjectValue)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

function cloneState(s: TfState): TfState {
  return new Map(
    [...s].map(([a, e]) => [a, { type: e.type, current: e.current, deposed: new Map(e.deposed) }]),
  );
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

/**
 * Every order of the nodes' events that their dependencies allow (each
 * node's events in sequence), up to `max` orders; `pick` chooses among the
 * runnable nodes when sampling beyond the bound.
 */
export function orders(nodes: readonly ApplyNode[], max: number, pick?: (n: number) => number): string[][] {
  const out: string[][] = [];
  const total = nodes.reduce((n, x) => n + x.events, 0);
  const runnable = (done: Map<string, number>) =>
    nodes.filter(
      (n) =>
        (done.get(n.id) ?? 0) < n.events &&
        n.after.every((a) => (done.get(a) ?? 0) === nodes.find((x) => x.id === a)!.events),
    );
  const dfs = (prefix: string[], done: Map<string, number>): boolean => {
    if (out.length >= max) return false;
    if (prefix.length === total) {
      out.push(prefix);
      return true;
    }
    for (const n of runnable(done)) {
      const next = new Map(done);
      next.set(n.id, (next.get(n.id) ?? 0) + 1);
      if (!dfs([...prefix, n.id], next) && out.length >= max) return false;
    }
    return true;
  };
  if (!pick) {
    dfs([], new Map());
    return out;
  }
  for (let k = 0; k < max; k++) {
    const done = new Map<string, number>();
    const order: string[] = [];
    while (order.length < total) {
      const r = runnable(done);
      const n = r[pick(r.length)];
      done.set(n.id, (done.get(n.id) ?? 0) + 1);
      order.push(n.id);
    }
    out.push(order);
  }
  return out;
}
