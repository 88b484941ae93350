import { checkSecurityLock } from "../../../src/membership/rules";
import { instance, join, leave, ruleTable, world } from "../fixtures";

describe("checkSecurityLock (InstanceLockedForSecurity)", () => {
  ruleTable(checkSecurityLock, [
    {
      name: "allows an unlocked instance to join",
      facts: world([instance("i-web1")]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "allows an instance locked for another reason (financial)",
      facts: world([instance("i-web1", { lockReasons: ["financial"] })]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "does not refuse adopting an existing membership of a locked instance (no call made)",
      facts: world([instance("i-web1", { lockReasons: ["security"], securityGroupIds: ["sg-web"] })]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "refuses to join a group with an instance locked for security",
      facts: world([instance("i-web1", { lockReasons: ["financial", "security"] })]),
      changes: [join("i-web1", "sg-web")],
      refused: ["InstanceLockedForSecurity: i-web1 is locked for security, so it cannot join sg-web"],
      detail: /^Ask your security team to lift the security lock on i-web1, then plan again\.$/,
    },
    {
      name: "refuses to leave a group with an instance locked for security, offering retain_on_delete",
      facts: world([
        instance("i-web1", { lockReasons: ["security"], securityGroupIds: ["sg-base", "sg-web"] }),
      ]),
      changes: [leave("i-web1", "sg-web")],
      refused: ["InstanceLockedForSecurity: i-web1 is locked for security, so it cannot leave sg-web"],
      detail: /security team.*retain_on_delete = true/,
    },
  ]);
});
