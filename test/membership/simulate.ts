import type { Facts, Operation } from "../../src/membership/types";

/** One operation as ECS would see it, with the groups of the instance right after it. */
export interface SimulatedStep {
  readonly op: Operation;
  /** Why ECS would refuse this call; undefined: it would accept it. */
  readonly apiError?: string;
  /** The instance's groups once the call has done what it asks (even one ECS would refuse). */
  readonly groupsAfter: readonly string[];
}

/**
 * Replays operations against the facts the way the ECS API judges each call,
 * independently of the planner (for property tests): Join and Leave rules
 * from reference/ecs-api.md, one call at a time. Each step is applied as
 * asked whether or not ECS would accept it, so that properties about the
 * resulting membership do not lean on the API check.
 */
export function simulate(facts: Facts, ops: readonly Operation[]): SimulatedStep[] {
  const groupsOf = new Map([...facts.instances].map(([id, i]) => [id, [...i.securityGroupIds]]));
  return ops.map((op) => {
    const inst = facts.instances.get(op.instanceId);
    const groups = groupsOf.get(op.instanceId) ?? [];
    const apiError = judge();
    groupsOf.set(
      op.instanceId,
      op.action === "join"
        ? [...new Set([...groups, op.securityGroupId])]
        : groups.filter((g) => g !== op.securityGroupId),
    );
    return { op, apiError, groupsAfter: groupsOf.get(op.instanceId) ?? [] };

    function judge(): string | undefined {
      if (!inst) return "InvalidInstanceId.NotFound";
      if (inst.status !== "Running" && inst.status !== "Stopped") return "IncorrectInstanceStatus";
      if (inst.lockReasons.includes("security")) return "InstanceLockedForSecurity";
      if (op.action === "leave") {
        if (!groups.includes(op.securityGroupId)) return "InstanceNotInSecurityGroup";
        if (groups.length === 1) return "InstanceLastSecurityGroup";
        return undefined;
      }
      const group = facts.groups.get(op.securityGroupId);
      if (!group) return "InvalidSecurityGroupId.NotFound";
      if (groups.includes(op.securityGroupId)) return "InvalidInstanceId.AlreadyExists";
      if (group.vpcId !== inst.vpcId) return "InvalidInstanceId.Mismatch";
      if (groups.length + 1 > inst.maxSecurityGroups) return "InstanceSecurityGroupLimitExceeded";
      const types = groups.flatMap((g) => facts.groups.get(g)?.type ?? []);
      if (types.some((t) => t !== group.type)) return "InvalidOperation.MultiGroupType";
      return undefined;
    }
  });
}
