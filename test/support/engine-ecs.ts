/**
 * The real ECS client (`src/ecs/client.ts`: batching, paging, retries, error
 * classification) talking to the emulator's engine in the same process,
 * without HTTP or signatures: for tests that drive thousands of applies.
 * Errors reach the client in the shape the official SDK gives them (status
 * and parsed body), through the same mapping the SDK transport uses.
 */
import { EcsClient } from "../../src/ecs/client";
import { toApiCallError, type RpcTransport } from "../../src/ecs/sdk-transport";
import type { EcsClientConfig } from "../../src/ecs/types";
import { EmulatorEngine } from "../../src/emulator/engine";
import { parseState, type EmulatorSeed, type EmulatorState } from "../../src/emulator/state";

/**
 * A Join or Leave as the engine answered it, with the groups of what it named
 * (an instance, or an ENI) before and after.
 */
export interface MutationRecord {
  readonly action: string;
  /** The `InstanceId` the call named; "" when it named an ENI. */
  readonly instanceId: string;
  /** The `NetworkInterfaceId` the call named; undefined when it named an instance. */
  readonly networkInterfaceId?: string;
  /** The list of groups the call changes: the instance (also for its primary ENI), or the ENI. */
  readonly listId: string;
  readonly securityGroupId: string;
  readonly httpStatus: number;
  readonly code: string | null;
  readonly groupsBefore: readonly string[];
  readonly groupsAfter: readonly string[];
}

export class EngineTransport implements RpcTransport {
  constructor(
    private readonly engine: EmulatorEngine,
    private readonly onMutation?: (m: MutationRecord) => void,
  ) {}

  async call(action: string, query: Readonly<Record<string, string>>): Promise<Record<string, unknown>> {
    const mutation = action === "JoinSecurityGroup" || action === "LeaveSecurityGroup";
    const groups = () => groupsNamed(this.engine.state(), query);
    const before = mutation && this.onMutation ? groups() : [];
    const answer = await this.engine.callInProcess(action, { ...query });
    if (mutation && this.onMutation) {
      this.onMutation({
        action,
        instanceId: query.InstanceId ?? "",
        ...(query.NetworkInterfaceId !== undefined ? { networkInterfaceId: query.NetworkInterfaceId } : {}),
        listId: listNamed(this.engine.state(), query),
        securityGroupId: query.SecurityGroupId ?? "",
        httpStatus: answer.httpStatus,
        code: answer.httpStatus === 200 ? null : String(answer.body.Code),
        groupsBefore: before,
        groupsAfter: groups(),
      });
    }
    if (answer.httpStatus === 200) return answer.body;
    throw toApiCallError({ statusCode: answer.httpStatus, data: answer.body }, []);
  }
}

/** The list of groups a call names: its instance, a primary ENI's instance, or another ENI. */
function listNamed(world: EmulatorState, query: Readonly<Record<string, string>>): string {
  if (query.NetworkInterfaceId === undefined) return query.InstanceId ?? "";
  const eni = world.networkInterfaces.find((n) => n.networkInterfaceId === query.NetworkInterfaceId);
  return eni?.type === "Primary" && eni.instanceId !== null ? eni.instanceId : query.NetworkInterfaceId;
}

/** The groups of the list a call names; [] when it does not exist. */
function groupsNamed(world: EmulatorState, query: Readonly<Record<string, string>>): readonly string[] {
  const list = listNamed(world, query);
  if (query.NetworkInterfaceId === undefined || list !== query.NetworkInterfaceId)
    return world.instances.find((i) => i.instanceId === list)?.securityGroupIds ?? [];
  return world.networkInterfaces.find((n) => n.networkInterfaceId === list)?.securityGroupIds ?? [];
}

/** A fresh engine holding `seed` (validated like a seed file). */
export function engineOf(seed: EmulatorSeed | EmulatorState): EmulatorEngine {
  return new EmulatorEngine(parseState(seed, "seed"));
}

/** An ECS client of `engine`, with no waiting between retries. */
export function engineClient(
  engine: EmulatorEngine,
  config: Partial<EcsClientConfig> = {},
  onMutation?: (m: MutationRecord) => void,
): EcsClient {
  return new EcsClient(
    { regionId: engine.state().regionId, maxRetries: 0, ...config },
    { transport: new EngineTransport(engine, onMutation), sleep: async () => {}, random: () => 0 },
  );
}
