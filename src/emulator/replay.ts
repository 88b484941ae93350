/** Replay protection: a signed request must be recent, and its nonce must be new. */
import { ApiError } from "./api-error";

/** How far a request's timestamp may be from the emulator's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Parses `yyyy-MM-ddTHH:mm:ssZ`; throws `InvalidTimeStamp.Format` (400) or `InvalidTimeStamp.Expired` (400). */
export function checkTimestamp(timestamp: string, now: number): number {
  const at = TIMESTAMP_PATTERN.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) {
    throw new ApiError(
      400,
      "InvalidTimeStamp.Format",
      `Specified time stamp ${JSON.stringify(timestamp)} is not in the UTC format yyyy-MM-ddTHH:mm:ssZ.`,
    );
  }
  if (Math.abs(now - at) > MAX_CLOCK_SKEW_MS) {
    throw new ApiError(
      400,
      "InvalidTimeStamp.Expired",
      `Specified time stamp ${timestamp} is more than 15 minutes away from the server time ${new Date(now).toISOString()}.`,
    );
  }
  return at;
}

/** Nonces seen per access key, forgotten once their request could no longer pass the timestamp check. */
export class NonceRegistry {
  private readonly seen = new Map<string, number>();

  /** Records the nonce or throws `SignatureNonceUsed` (400) when it was used before. */
  use(accessKeyId: string, nonce: string, now: number): void {
    this.prune(now);
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.seen.has(key)) {
      throw new ApiError(
        400,
        "SignatureNonceUsed",
        `Specified signature nonce ${JSON.stringify(nonce)} was used already.`,
      );
    }
    this.seen.set(key, now + 2 * MAX_CLOCK_SKEW_MS);
  }

  private prune(now: number): void {
    if (this.seen.size < 10_000) return;
    for (const [key, expiry] of this.seen) if (expiry < now) this.seen.delete(key);
  }
}
