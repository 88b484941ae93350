import { checkGroupLimit } from "../../../src/membership/rules";
import { instance, join, leave, move, ruleTable, world } from "../fixtures";

const FOUR = ["sg-base", "sg-web", "sg-db", "sg-app"];
const FIVE = [...FOUR, "sg-ops"];

describe("checkGroupLimit (InstanceSecurityGroupLimitExceeded)", () => {
  ruleTable(checkGroupLimit, [
    {
      name: "allows joining up to the limit",
      facts: world([instance("i-web1", { securityGroupIds: FOUR })]),
      changes: [join("i-web1", "sg-ops")],
      refused: [],
    },
    {
      name: "allows leaving when the instance is over its limit",
      facts: world([instance("i-web1", { securityGroupIds: FIVE, maxSecurityGroups: 3 })]),
      changes: [leave("i-web1", "sg-ops")],
      refused: [],
    },
    {
      name: "allows adopting a membership at the limit",
      facts: world([instance("i-web1", { securityGroupIds: FIVE })]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "respects a raised limit",
      facts: world([instance("i-web1", { securityGroupIds: FIVE, maxSecurityGroups: 6 })]),
      changes: [join("i-web1", "sg-far")],
      refused: [],
    },
    {
      name: "refuses to join a sixth group",
      facts: world([instance("i-web1", { securityGroupIds: FIVE })]),
      changes: [join("i-web1", "sg-far")],
      refused: [
        "InstanceSecurityGroupLimitExceeded: joining sg-far would put i-web1 in 6 security groups, over its limit of 5",
      ],
      detail: /i-web1 is in 5 of 5 groups \(sg-base, sg-web, sg-db, sg-app and sg-ops\)/,
    },
    {
      name: "refuses a move at the limit (it joins before it leaves)",
      facts: world([instance("i-web1", { securityGroupIds: FIVE })]),
      changes: [move("i-web1", "sg-ops", "sg-far")],
      refused: [
        "InstanceSecurityGroupLimitExceeded: joining sg-far would put i-web1 in 6 security groups, over its limit of 5",
      ],
      detail: /leaves sg-ops only after joining/,
    },
    {
      name: "names the first join that does not fit",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-web", "sg-db"] })]),
      changes: [join("i-web1", "sg-app"), join("i-web1", "sg-ops"), join("i-web1", "sg-far")],
      refused: [
        "InstanceSecurityGroupLimitExceeded: joining sg-far would put i-web1 in 6 security groups, over its limit of 5",
      ],
    },
  ]);
});
