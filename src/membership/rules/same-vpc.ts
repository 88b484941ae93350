import type { Refusal } from "../types";
import { refusal, type RuleSubject } from "./subject";

/**
 * An instance may only join groups of its own VPC (a classic-network
 * instance, VPC null, only classic groups). Code: `InvalidInstanceId.Mismatch`.
 */
export function checkSameVpc(s: RuleSubject): Refusal[] {
  const instance = s.instance;
  if (!instance) return [];
  const refusals: Refusal[] = [];
  for (const g of s.joins) {
    const group = s.groups.get(g);
    if (!group || group.vpcId === instance.vpcId) continue;
    refusals.push(
      refusal(
        "InvalidInstanceId.Mismatch",
        s.instanceId,
        g,
        `${s.instanceId} is in ${network(instance.vpcId)} but ${g} is in ${network(group.vpcId)}, so it cannot join it`,
        `Use a security group in ${network(instance.vpcId)}, the network of ${s.instanceId}, or create one there.`,
      ),
    );
  }
  return refusals;
}

function network(vpcId: string | null): string {
  return vpcId === null ? "the classic network" : vpcId;
}
