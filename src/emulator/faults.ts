/**
 * Injected faults, deterministic from a seed: the n-th API call after
 * `PUT /_emulator/faults` always meets the same fate for the same settings.
 */
import { ApiError } from "./api-error";

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
}

export const NO_FAULTS: FaultSettings = {
  throttleRate: 0,
  serverErrorRate: 0,
  lostResponseRate: 0,
  latencyMs: 0,
  seed: 0,
  throttleForMs: 0,
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
  };
  if (settings.throttleRate + settings.serverErrorRate > 1) {
    throw new Error("faults: throttleRate + serverErrorRate must not exceed 1");
  }
  return settings;
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

  configure(settings: FaultSettings, now: number = Date.now()): void {
    this.settings = settings;
    this.random = createPrng(settings.seed);
    this.throttledUntil = settings.throttleForMs > 0 ? now + settings.throttleForMs : 0;
  }

  current(): FaultSettings {
    return { ...this.settings };
  }

  next(now: number = Date.now()): FaultDecision {
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

/** What a caller whose response was lost receives. */
export function lostResponseError(): ApiError {
  return new ApiError(
    500,
    "InternalError",
    "The request processing has failed due to some unknown error, exception or failure.",
  );
}
