import type { Refusal } from "../types";
import { changesAnything, operationsPhrase, refusal, type RuleSubject } from "./subject";

/** The ENI statuses in which alisg lets an ENI join or leave groups. */
export const CHANGEABLE_NETWORK_INTERFACE_STATUSES: readonly string[] = ["InUse", "Available"];

/**
 * An ENI that is being created, attached, detached or deleted cannot join or
 * leave groups. ECS documents only the "being created" refusal; alisg takes
 * the conservative reading for the other transitions too. Only refuses when a
 * call would be made. Code: `IncorrectNetworkInterfaceStatus`.
 */
export function checkNetworkInterfaceStatus(s: RuleSubject): Refusal[] {
  const eni = s.networkInterface;
  if (!eni || !changesAnything(s) || CHANGEABLE_NETWORK_INTERFACE_STATUSES.includes(eni.status)) return [];
  return [
    refusal(
      "IncorrectNetworkInterfaceStatus",
      s.instanceId,
      s.joins[0] ?? s.leaves[0],
      `${s.instanceId} is ${eni.status}, so it cannot ${operationsPhrase(s)} now`,
      `ECS changes a network interface's security groups only while it is InUse or Available. Wait for ${s.instanceId} to settle, then plan again.`,
    ),
  ];
}
