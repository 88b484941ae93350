import { appendFileSync } from "node:fs";
import { isUnknown, type ObjectValue, type ProviderDefinition, type Value } from "./types";

/**
 * A record of the resource RPCs Terraform makes, one JSON line per call,
 * appended to a file: how the tests learn, from the real binary, which calls
 * each Terraform operation makes, in which process, with which prior state,
 * proposed value and private data (see test/e2e/rpc-sequences.e2e.test.ts).
 *
 * Only resource values and private data are written: the provider
 * configuration (which holds secrets) never is.
 */
export interface RpcTraceLine {
  /** The provider process: Terraform starts one per walk. */
  readonly pid: number;
  readonly rpc: "ReadResource" | "PlanResourceChange" | "ApplyResourceChange" | "ImportResourceState";
  readonly typeName: string;
  /** ReadResource: the current state; Plan/Apply: the prior state. */
  readonly prior?: unknown;
  /** Plan: the proposed new state; Apply: the planned state. */
  readonly next?: unknown;
  /** Plan: prior private; Apply: planned private; Read: private (UTF-8). */
  readonly private?: string;
  /** Import: the ID. */
  readonly id?: string;
  /** What the provider answered: the new or planned state, its private data and the diagnostics' summaries. */
  readonly answer: { readonly state?: unknown; readonly private?: string; readonly diagnostics: string[] };
}

/** The definition with every resource RPC recorded to `file`. */
export function tracedDefinition(definition: ProviderDefinition, file: string): ProviderDefinition {
  const write = (line: Omit<RpcTraceLine, "pid">) =>
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, ...line })}\n`);
  const summaries = (d: readonly { summary: string }[] | undefined) => (d ?? []).map((x) => x.summary);
  return {
    ...definition,
    async readResource(req) {
      const res = await definition.readResource(req);
      write({
        rpc: "ReadResource",
        typeName: req.typeName,
        prior: plain(req.currentState),
        private: text(req.private),
        answer: {
          state: plain(res.newState),
          private: text(res.private),
          diagnostics: summaries(res.diagnostics),
        },
      });
      return res;
    },
    async planResourceChange(req) {
      const res = await definition.planResourceChange(req);
      write({
        rpc: "PlanResourceChange",
        typeName: req.typeName,
        prior: plain(req.priorState),
        next: plain(req.proposedNewState),
        private: text(req.priorPrivate),
        answer: {
          state: plain(res.plannedState),
          private: text(res.plannedPrivate),
          diagnostics: summaries(res.diagnostics),
        },
      });
      return res;
    },
    async applyResourceChange(req) {
      const res = await definition.applyResourceChange(req);
      write({
        rpc: "ApplyResourceChange",
        typeName: req.typeName,
        prior: plain(req.priorState),
        next: plain(req.plannedState),
        private: text(req.plannedPrivate),
        answer: {
          state: plain(res.newState),
          private: text(res.private),
          diagnostics: summaries(res.diagnostics),
        },
      });
      return res;
    },
    async importResourceState(req) {
      const res = await definition.importResourceState(req);
      write({
        rpc: "ImportResourceState",
        typeName: req.typeName,
        id: req.id,
        answer: {
          state: res.resources.map((r) => plain(r.state)),
          diagnostics: summaries(res.diagnostics),
        },
      });
      return res;
    },
  };
}

function text(b: Buffer | undefined): string | undefined {
  return b && b.length > 0 ? b.toString("utf8") : undefined;
}

/** A value as JSON: unknown values become the string "(unknown)". */
function plain(v: ObjectValue | Value | null | undefined): unknown {
  if (v === undefined || v === null) return null;
  if (isUnknown(v)) return "(unknown)";
  if (Array.isArray(v)) return v.map((x) => plain(x as Value));
  if (typeof v === "object") {
    return Object.fromEntries(Object.entries(v as ObjectValue).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}
