/** A running emulator for the ECS client's integration tests, and its admin API over real HTTP. */
import type { EmulatorSeed } from "../../src/emulator/server";
import { Cloud } from "../support/emulator";
import { createEcsClient } from "../../src/ecs/client";
import type { EcsApi, EcsClientConfig, EcsInstanceSearch } from "../../src/ecs/types";

export const REGION = "cn-hangzhou";
export const KEY = { accessKeyId: "test-key", accessKeySecret: "test-secret-Zq8/+=" };
export const STS_KEY = {
  accessKeyId: "STS.test-key",
  accessKeySecret: "sts-secret-Wx7&/=",
  securityToken: "sts-token-CAIS+very/secret==",
};

/** The shared test emulator, plus an ECS client pointed at it with fast retries. */
export class EmulatorHarness extends Cloud {
  static override async start(seed: EmulatorSeed): Promise<EmulatorHarness> {
    return new EmulatorHarness(await Cloud.running(seed));
  }

  client(overrides: Partial<EcsClientConfig> = {}): EcsApi & EcsInstanceSearch {
    return createEcsClient({
      regionId: REGION,
      endpoint: this.url,
      credentials: KEY,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      ...overrides,
    });
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown> & Error> {
  try {
    await promise;
  } catch (e) {
    return e as Record<string, unknown> & Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Everything an error exposes, as one string, to look for leaked secrets. */
export function everythingIn(e: Error): string {
  const own = Object.fromEntries(
    Object.getOwnPropertyNames(e).map((k) => [k, (e as unknown as Record<string, unknown>)[k]]),
  );
  return [
    e.message,
    e.stack ?? "",
    String(e),
    JSON.stringify(own),
    String((e as { cause?: unknown }).cause ?? ""),
  ].join("\n");
}
