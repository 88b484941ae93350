/** A running emulator for the ECS client's integration tests, and its admin API over real HTTP. */
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../src/emulator/server";
import { createEcsClient } from "../../src/ecs/client";
import type { EcsApi, EcsClientConfig } from "../../src/ecs/types";

export interface CallRecord {
  action: string;
  params: Record<string, string>;
  httpStatus: number;
  code: string | null;
}

export const REGION = "cn-hangzhou";
export const KEY = { accessKeyId: "test-key", accessKeySecret: "test-secret-Zq8/+=" };
export const STS_KEY = {
  accessKeyId: "STS.test-key",
  accessKeySecret: "sts-secret-Wx7&/=",
  securityToken: "sts-token-CAIS+very/secret==",
};

export class EmulatorHarness {
  private constructor(readonly emulator: RunningEmulator) {}

  static async start(seed: EmulatorSeed): Promise<EmulatorHarness> {
    return new EmulatorHarness(await startEmulator({ host: "127.0.0.1", port: 0, seed }));
  }

  get url(): string {
    return this.emulator.url;
  }

  close(): Promise<void> {
    return this.emulator.close();
  }

  client(overrides: Partial<EcsClientConfig> = {}): EcsApi {
    return createEcsClient({
      regionId: REGION,
      endpoint: this.url,
      credentials: KEY,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      ...overrides,
    });
  }

  /** Replaces the world, forgets the call log and removes faults. */
  async reset(seed: EmulatorSeed): Promise<void> {
    await this.admin("PUT", "state", seed);
    await this.admin("DELETE", "calls");
    await this.admin("DELETE", "faults");
  }

  async calls(): Promise<CallRecord[]> {
    return (await this.admin("GET", "calls")) as CallRecord[];
  }

  async groupsOf(instanceId: string): Promise<string[]> {
    const state = (await this.admin("GET", "state")) as {
      instances: { instanceId: string; securityGroupIds: string[] }[];
    };
    const instance = state.instances.find((i) => i.instanceId === instanceId);
    if (!instance) throw new Error(`no instance ${instanceId} in the emulator`);
    return instance.securityGroupIds;
  }

  async admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /_emulator/${path}: HTTP ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
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
