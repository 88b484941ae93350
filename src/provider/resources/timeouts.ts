/**
 * The `timeouts` block both resources take, as in other Terraform providers:
 * `timeouts { create = "10m", update = "10m", delete = "3s" }`. Each is how
 * long retryable errors (throttling above all) are waited out for that
 * operation before it gives up, and a provider-level `read_timeout` does the
 * same for reads and plans. Durations are Terraform's (Go's) duration
 * strings: `90s`, `10m`, `1h30m`, `1.5h`, `500ms`.
 */
import type { Deadline } from "../../ecs/types";
import {
  isUnknown,
  type Diagnostic,
  type NestedBlockSchema,
  type ObjectValue,
  type Value,
} from "../plugin/types";

export type TimeoutKind = "create" | "update" | "delete";

/** Default of each operation's timeout. */
export const DEFAULT_OPERATION_TIMEOUT = "10m";
/** Default of the provider's `read_timeout`. */
export const DEFAULT_READ_TIMEOUT = "5m";

/** The nested block, for a resource schema's `blocks`. */
export const timeoutsBlock: NestedBlockSchema = {
  name: "timeouts",
  nesting: "single",
  block: {
    description: `How long retryable errors are waited out, per operation (duration strings such as "90s" or "10m"; default ${DEFAULT_OPERATION_TIMEOUT}).`,
    attributes: (["create", "update", "delete"] as const).map((name) => ({
      name,
      type: "string" as const,
      optional: true,
      description: `Deadline of ${name}. Default ${DEFAULT_OPERATION_TIMEOUT}.`,
    })),
  },
};

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a Terraform duration string (`10m`, `1h30m`, `2.5s`), or
 * undefined when it is not one. Signs are refused: a timeout is never negative.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "0") return 0;
  // Go spells microseconds "us", "\u00b5s" (micro sign) or "\u03bcs" (Greek mu); escaped, the
  // provider bundle stays ASCII (scripts/bundle-provider.mjs).
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    at = part.lastIndex;
  }
  return s.length > 0 && Number.isFinite(total) ? total : undefined;
}

/** Anything that carries the block: a config or state value, or a resource's model. */
export interface WithTimeouts {
  readonly timeouts?: Value;
}

/** The block's value in a config or state (null when absent), for a resource's model. */
export function timeoutsOf(value: ObjectValue): ObjectValue | null {
  return isObject(value.timeouts) ? value.timeouts : null;
}

/** The configured duration for `kind`, or undefined when unset or unknown. */
function configured(value: WithTimeouts | null | undefined, kind: TimeoutKind): string | undefined {
  const block = value?.timeouts;
  if (!isObject(block)) return undefined;
  const v = block[kind];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/**
 * The deadline of a `kind` operation starting `now`, from the `timeouts`
 * block of a resource's planned state or config (the prior state for a
 * delete). An unset or invalid value falls back to the default (invalid
 * values are refused earlier, by `timeoutsDiagnostics`).
 */
export function deadlineFor(
  stateOrConfig: WithTimeouts | null | undefined,
  kind: TimeoutKind,
  now: number = Date.now(),
): Deadline {
  const text = configured(stateOrConfig, kind);
  const ms = text === undefined ? undefined : parseDuration(text);
  if (text !== undefined && ms !== undefined && ms > 0) {
    return { at: now + ms, description: `timeouts.${kind} = ${JSON.stringify(text)}` };
  }
  const fallback = parseDuration(DEFAULT_OPERATION_TIMEOUT)!;
  return {
    at: now + fallback,
    description: `timeouts.${kind}, default ${JSON.stringify(DEFAULT_OPERATION_TIMEOUT)}`,
  };
}

/** `terraform validate` errors for durations that are not durations, naming the attribute. */
export function timeoutsDiagnostics(config: WithTimeouts): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const kind of ["create", "update", "delete"] as const) {
    const text = configured(config, kind);
    if (text === undefined) continue;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      diagnostics.push({
        severity: "error",
        summary: `Invalid timeouts.${kind}`,
        detail: `${JSON.stringify(text)} is not a positive duration. Use a Terraform duration such as "90s", "10m" or "1h30m".`,
        attribute: ["timeouts", kind],
      });
    }
  }
  return diagnostics;
}

function isObject(v: Value | undefined): v is ObjectValue {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isUnknown(v);
}
