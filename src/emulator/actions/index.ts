/** The actions the emulator serves, by name. */
import { describeInstanceAttribute } from "./describe-instance-attribute";
import { describeInstances } from "./describe-instances";
import { describeNetworkInterfaces } from "./describe-network-interfaces";
import { describeSecurityGroups } from "./describe-security-groups";
import { joinSecurityGroup } from "./join-security-group";
import { leaveSecurityGroup } from "./leave-security-group";
import type { ActionHandler } from "./types";

export type { ActionHandler, ActionResult } from "./types";

export const API_VERSION = "2014-05-26";

export interface ActionSpec {
  handler: ActionHandler;
  /** Changes the world; such calls are serialised per list of groups (see `changeQueueKey`). */
  mutates: boolean;
}

export const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  DescribeInstances: { handler: describeInstances, mutates: false },
  DescribeInstanceAttribute: { handler: describeInstanceAttribute, mutates: false },
  DescribeSecurityGroups: { handler: describeSecurityGroups, mutates: false },
  DescribeNetworkInterfaces: { handler: describeNetworkInterfaces, mutates: false },
  JoinSecurityGroup: { handler: joinSecurityGroup, mutates: true },
  LeaveSecurityGroup: { handler: leaveSecurityGroup, mutates: true },
};

export function findAction(name: string): ActionSpec | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIONS, name) ? ACTIONS[name] : undefined;
}
