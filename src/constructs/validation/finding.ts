import { IConstruct } from "constructs";
import { AppFacts, MembershipFacts } from "./facts";

/** One problem found at synth time. */
export interface Finding {
  /** Stable identifier users can search for, e.g. `DuplicateAttachment`; printed as `[alisg:<code>]`. */
  readonly code: string;
  /** The constructs involved; each of their stacks reports the finding. */
  readonly constructs: readonly IConstruct[];
  /** What is wrong, naming the construct paths, and how to fix it. */
  readonly message: string;
}

/** A synth-time rule: a pure function of the app's facts. */
export type Rule = (facts: AppFacts) => Finding[];

/** The message as users see it: `[alisg:<code>] <message>`. */
export function formatFinding(finding: Finding): string {
  return `[alisg:${finding.code}] ${finding.message}`;
}

/** `SecurityGroupAttachment stack/web`: the construct class and path, for messages. */
export function describeMembership(m: MembershipFacts): string {
  const kind = m.networkInterface
    ? m.kind === "attachment"
      ? "NetworkInterfaceSecurityGroupAttachment"
      : "NetworkInterfaceSecurityGroups"
    : m.kind === "attachment"
      ? "SecurityGroupAttachment"
      : "InstanceSecurityGroups";
  return `${kind} ${m.resource.node.path}`;
}

/** Items grouped by key, leaving out items without one; insertion order is kept. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
