import {
  describeMalformedId,
  isWellFormedInstanceId,
  isWellFormedSecurityGroupId,
} from "../../../membership/ids";
import { Finding, Rule, describeMembership } from "../finding";

/**
 * `[alisg:MalformedInstanceId]`, `[alisg:MalformedNetworkInterfaceId]` (the
 * ENI constructs), `[alisg:MalformedSecurityGroupId]`: a literal ID that can
 * never name an ECS resource (empty, spaces, odd characters), by the same rule
 * the provider applies. Expressions are checked at apply time.
 */
export const malformedIds: Rule = ({ memberships }) => {
  const findings: Finding[] = [];
  for (const m of memberships) {
    const subject = m.instance?.literal;
    if (subject !== undefined && !isWellFormedInstanceId(subject)) {
      const why = describeMalformedId(subject);
      findings.push(
        m.networkInterface
          ? {
              code: "MalformedNetworkInterfaceId",
              constructs: [m.resource],
              message:
                `${describeMembership(m)}: network interface ID "${subject}" is malformed (${why}). ` +
                `Use the ENI's ID as ECS shows it (e.g. "eni-bp1a2b3c4d"), or a reference such as networkInterface.id.`,
            }
          : {
              code: "MalformedInstanceId",
              constructs: [m.resource],
              message:
                `${describeMembership(m)}: instance ID "${subject}" is malformed (${why}). ` +
                `Use the instance's ID as ECS shows it (e.g. "i-bp1a2b3c4d"), or a reference such as instance.id.`,
            },
      );
    }
    for (const group of m.groups ?? []) {
      const id = group.literal;
      if (id !== undefined && !isWellFormedSecurityGroupId(id)) {
        findings.push({
          code: "MalformedSecurityGroupId",
          constructs: [m.resource],
          message:
            `${describeMembership(m)}: security group ID "${id}" is malformed (${describeMalformedId(id)}). ` +
            `Use the group's ID as ECS shows it (e.g. "sg-bp1xyz"), or a reference such as securityGroup.id.`,
        });
      }
    }
  }
  return findings;
};
