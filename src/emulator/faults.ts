/**
 * Injected faults, deterministic from a seed: the n-th API call after
 * `PUT /_emulator/faults` always meets the same fate for the same settings.
 * Scripted faults meet one chosen call each (e.g. the second
 * LeaveSecurityGroup loses its response).
 */
import { ApiError } from "./api-error";
import { FORBIDDEN_RAM_MESSAGE } from "./ram";

/** What a scripted fault does to the call it meets. */
export const SCRIPTED_FAULTS = ["lostResponse", "serverError", "forbidden", "throttling"] as const;
export type ScriptedFaultKind = (typeof SCRIPTED_FAULTS)[number];

/**
 * One scripted fault: it meets the call of `action` that comes after `skip`
 * other calls of that action (default 0: the next one), once. `lostResponse`:
 * the action runs and the caller gets `InternalError` (500); `serverError`:
 * `InternalError` before the action (nothing changes); `forbidden`:
 * `Forbidden.RAM` (403) before it; `throttling`: `Throttling.User` (400) before it.
 */
export interface ScriptedFault {
  readonly action: string;
  readonly fault: ScriptedFaultKind;
  readonly skip?: number;
}

export interface FaultSettings {
  /** Share of calls refused with `Throttling` (400) before the action runs. */
  throttleRate: number;
  /** Share of calls refused with `InternalError` (500) or `ServiceUnavailable` (503) before the action runs. */
  serverErrorRate: number;
  /** Share of the remaining calls whose action runs but whose caller gets `InternalError` (500). */
  lostResponseRate: number;
  /** Delay before every API answer. */
  latencyMs: number;
  /** PRNG seed. */
  seed: number;
  /**
   * Every signed call answers `Throttling.User` for this many ms after the
   * faults are set: how ECS blocks a throttled caller until the next minute.
   */
  throttleForMs: number;
  /** Faults for chosen calls, in order; each is used once. */
  script: readonly ScriptedFault[];
}

export const NO_FAULTS: FaultSettings = {
  throttleRate: 0,
  serverErrorRate: 0,
  lostResponseRate: 0,
  latencyMs: 0,
  seed: 0,
  throttleForMs: 0,
  script: [],
};

/** Validates a `PUT /_emulator/faults` body; missing fields default to 0. Throws Error naming the field. */
export function parseFaultSettings(input: unknown): FaultSettings {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Error('faults must be a JSON object like {"throttleRate":0.1,"seed":1}');
  }
  const obj = input as Record<string, unknown>;
  const allowed = Object.keys(NO_FAULTS);
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      throw new Error(`faults.${key}: unknown field (allowed: ${allowed.join(", ")})`);
  }
  const number = (key: keyof FaultSettings, min: number, max: number, integer = false): number => {
    const value = obj[key] ?? 0;
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (integer && !Number.isInteger(value))
    ) {
      throw new Error(
        `faults.${key}: expected ${integer ? "an integer" : "a number"} from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const settings: FaultSettings = {
    throttleRate: number("throttleRate", 0, 1),
    serverErrorRate: number("serverErrorRate", 0, 1),
    lostResponseRate: number("lostResponseRate", 0, 1),
    latencyMs: number("latencyMs", 0, 60_000, true),
    seed: number("seed", 0, 2 ** 32 - 1, true),
    throttleForMs: number("throttleForMs", 0, 3_600_000, true),
    script: parseScript(obj.script),
  };
  if (settings.throttleRate + settings.serverErrorRate > 1) {
    throw new Error("faults: throttleRate + serverErrorRate must not exceed 1");
  }
  return settings;
}

function parseScript(input: unknown): ScriptedFault[] {
  if (input === undefined) return [];
  if (!Array.isArray(input))
    throw new Error(
      'faults.script: expected a list like [{"action":"JoinSecurityGroup","fault":"lostResponse"}]',
    );
  return input.map((entry: unknown, n) => {
    const where = `faults.script[${n}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      throw new Error(`${where}: expected an object`);
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!["action", "fault", "skip"].includes(key))
        throw new Error(`${where}.${key}: unknown field (allowed: action, fault, skip)`);
    }
    if (typeof e.action !== "string" || e.action === "")
      throw new Error(`${where}.action: expected an action name, e.g. "JoinSecurityGroup"`);
    if (typeof e.fault !== "string" || !(SCRIPTED_FAULTS as readonly string[]).includes(e.fault)) {
      throw new Error(`${where}.fault: expected one of ${SCRIPTED_FAULTS.join(", ")}`);
    }
    const skip = e.skip ?? 0;
    if (typeof skip !== "number" || !Number.isInteger(skip) || skip < 0 || skip > 1_000_000) {
      throw new Error(`${where}.skip: expected an integer from 0 to 1000000`);
    }
    return { action: e.action, fault: e.fault as ScriptedFaultKind, skip };
  });
}

/** mulberry32: a tiny 32-bit PRNG, plenty for fault injection and stable across platforms. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fate of one call. */
export interface FaultDecision {
  /** Refuse before the action (nothing changes). */
  before: ApiError | null;
  /** Run the action, then answer 500 anyway. */
  loseResponse: boolean;
  latencyMs: number;
}

/** Draws the fate of each call in arrival order. Every call consumes exactly three numbers, whatever happens. */
export class FaultInjector {
  private settings: FaultSettings = NO_FAULTS;
  private random = createPrng(0);
  /** End of the throttle window (epoch ms); 0 = none. */
  private throttledUntil = 0;
  /** The scripted faults still to meet their call, with how many calls of their action each still lets by. */
  private script: { action: string; fault: ScriptedFaultKind; skip: number }[] = [];

  configure(settings: FaultSettings, now: number = Date.now()): void {
    this.settings = settings;
    this.random = createPrng(settings.seed);
    this.throttledUntil = settings.throttleForMs > 0 ? now + settings.throttleForMs : 0;
    this.script = settings.script.map((f) => ({ action: f.action, fault: f.fault, skip: f.skip ?? 0 }));
  }

  /** The settings, with the scripted faults that have not met their call yet. */
  current(): FaultSettings {
    return { ...this.settings, script: this.script.map((f) => ({ ...f })) };
  }

  next(now: number = Date.now(), action = ""): FaultDecision {
    const scripted = this.scripted(action);
    const drawn = this.draw(now);
    if (!scripted) return drawn;
    if (scripted === "lostResponse") return { before: null, loseResponse: true, latencyMs: drawn.latencyMs };
    return { before: scriptedError(scripted, action), loseResponse: false, latencyMs: drawn.latencyMs };
  }

  /** The scripted fault this call of `action` meets, if any (each entry counts its action's calls). */
  private scripted(action: string): ScriptedFaultKind | undefined {
    let fired: ScriptedFaultKind | undefined;
    this.script = this.script.filter((f) => {
      if (f.action !== action) return true;
      if (f.skip > 0) {
        f.skip -= 1;
        return true;
      }
      if (fired) return true;
      fired = f.fault;
      return false;
    });
    return fired;
  }

  private draw(now: number): FaultDecision {
    const { throttleRate, serverErrorRate, lostResponseRate, latencyMs } = this.settings;
    const fate = this.random();
    const which = this.random();
    const lost = this.random();
    let before: ApiError | null = null;
    if (now < this.throttledUntil) {
      before = new ApiError(400, "Throttling.User", "Request was denied due to user flow control.");
    } else if (fate < throttleRate) {
      before = new ApiError(400, "Throttling", "Request was denied due to request throttling.");
    } else if (fate < throttleRate + serverErrorRate) {
      before =
        which < 0.5
          ? new ApiError(
              500,
              "InternalError",
              "The request processing has failed due to some unknown error, exception or failure.",
            )
          : new ApiError(
              503,
              "ServiceUnavailable",
              "The request has failed due to a temporary failure of the server.",
            );
    }
    return { before, loseResponse: before === null && lost < lostResponseRate, latencyMs };
  }
}

function scriptedError(kind: Exclude<ScriptedFaultKind, "lostResponse">, action: string): ApiError {
  switch (kind) {
    case "serverError":
      return new ApiError(
        500,
        "InternalError",
        "The request processing has failed due to some unknown error, exception or failure.",
      );
    case "throttling":
      return new ApiError(400, "Throttling.User", "Request was denied due to user flow control.");
    case "forbidden":
      return new ApiError(403, "Forbidden.RAM", FORBIDDEN_RAM_MESSAGE, {
        AccessDeniedDetail: {
          PolicyType: "AccountLevelIdentityBasedPolicy",
          AuthPrincipalType: "SubUser",
          AuthPrincipalDisplayName: "emulator-scripted-fault",
          NoPermissionType: "ImplicitDeny",
          AuthAction: `ecs:${action}`,
        },
      });
  }
}

/** What a caller whose response was lost receives. */
export function lostResponseError(): ApiError {
  return new ApiError(
    500,
    "InternalError",
    "The request processing has failed due to some unknown error, exception or failure.",
  );
}
