import {
  describeMalformedId,
  isWellFormedInstanceId,
  isWellFormedSecurityGroupId,
} from "../../../membership/ids";
import { Finding, Rule, describeMembership } from "../finding";

/**
 * `[alisg:MalformedInstanceId]`, `[alisg:MalformedSecurityGroupId]`: a literal
 * ID that can never name an ECS resource (empty, spaces, odd characters), by
 * the same rule the provider applies. Expressions are checked at apply time.
 */
export const malformedIds: Rule = ({ memberships }) => {
  const findings: Finding[] = [];
  for (const m of memberships) {
    const instance = m.instance?.literal;
    if (instance !== undefined && !isWellFormedInstanceId(instance)) {
      findings.push({
        code: "MalformedInstanceId",
        constructs: [m.resource],
        message:
          `${describeMembership(m)}: instance ID "${instance}" is malformed (${describeMalformedId(instance)}). ` +
          `Use the instance's ID as ECS shows it (e.g. "i-bp1a2b3c4d"), or a reference such as instance.id.`,
      });
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
