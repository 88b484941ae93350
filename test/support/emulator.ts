/** The emulator as tests use it: started in the test process, its admin API wrapped. */
import {
  startEmulator,
  type CallRecord,
  type EmulatorSeed,
  type FaultSettings,
  type RunningEmulator,
} from "../../src/emulator/server";
import type { InstanceRecord, NetworkInterfaceRecord } from "../../src/emulator/state";

export type { CallRecord };

export class Cloud {
  protected constructor(private readonly emulator: RunningEmulator) {}

  static async start(seed: EmulatorSeed): Promise<Cloud> {
    return new Cloud(await startEmulator({ host: "127.0.0.1", port: 0, seed }));
  }

  protected static async running(seed: EmulatorSeed): Promise<RunningEmulator> {
    return startEmulator({ host: "127.0.0.1", port: 0, seed });
  }

  get url(): string {
    return this.emulator.url;
  }

  close(): Promise<void> {
    return this.emulator.close();
  }

  /** A call to the admin API, `path` below `/_emulator/` (e.g. `calls`). */
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

  /** Replaces the world, forgets the call log and removes faults. */
  async reset(seed: EmulatorSeed): Promise<void> {
    await this.admin("PUT", "state", seed);
    await this.admin("DELETE", "calls");
    await this.admin("DELETE", "faults");
  }

  async calls(): Promise<CallRecord[]> {
    return (await this.admin("GET", "calls")) as CallRecord[];
  }

  /** Mutating calls only (Join/Leave), as "Join i-x sg-y", oldest first. */
  async changes(): Promise<string[]> {
    return (await this.calls())
      .filter((c) => c.action === "JoinSecurityGroup" || c.action === "LeaveSecurityGroup")
      .map(
        (c) =>
          `${c.action === "JoinSecurityGroup" ? "Join" : "Leave"} ${c.params.InstanceId ?? c.params.NetworkInterfaceId} ${c.params.SecurityGroupId}`,
      );
  }

  async clearCalls(): Promise<void> {
    await this.admin("DELETE", "calls");
  }

  async instances(): Promise<InstanceRecord[]> {
    return ((await this.admin("GET", "state")) as { instances: InstanceRecord[] }).instances;
  }

  /** The instance's groups, in the emulator's order. */
  async groupsOf(instanceId: string): Promise<string[]> {
    const instance = (await this.instances()).find((i) => i.instanceId === instanceId);
    if (!instance) throw new Error(`no instance ${instanceId} in the emulator`);
    return [...instance.securityGroupIds];
  }

  async sortedGroupsOf(instanceId: string): Promise<string[]> {
    return (await this.groupsOf(instanceId)).sort();
  }

  async patchInstance(instanceId: string, patch: Partial<InstanceRecord>): Promise<void> {
    await this.admin("PATCH", `instances/${instanceId}`, patch);
  }

  /** The ENI's groups, in the emulator's order. */
  async networkInterfaceGroupsOf(networkInterfaceId: string): Promise<string[]> {
    const state = (await this.admin("GET", "state")) as { networkInterfaces: NetworkInterfaceRecord[] };
    const eni = state.networkInterfaces.find((n) => n.networkInterfaceId === networkInterfaceId);
    if (!eni) throw new Error(`no network interface ${networkInterfaceId} in the emulator`);
    return [...eni.securityGroupIds];
  }

  async patchNetworkInterface(
    networkInterfaceId: string,
    patch: Partial<Pick<NetworkInterfaceRecord, "status" | "securityGroupIds" | "instanceId">>,
  ): Promise<void> {
    await this.admin("PATCH", `network-interfaces/${networkInterfaceId}`, patch);
  }

  async replaceState(state: EmulatorSeed): Promise<void> {
    await this.admin("PUT", "state", state);
  }

  /** Gives every access key this RAM policy (`allowedActions`), keeping the rest of the world. */
  async restrictKeys(allowedActions: string[]): Promise<void> {
    const state = (await this.admin("GET", "state")) as EmulatorSeed;
    await this.replaceState({
      ...state,
      accessKeys: (state.accessKeys ?? []).map((k) => ({ ...k, allowedActions })),
    });
  }

  async setFaults(faults: Partial<FaultSettings>): Promise<void> {
    await this.admin("PUT", "faults", faults);
  }

  async clearFaults(): Promise<void> {
    await this.admin("DELETE", "faults");
  }
}
