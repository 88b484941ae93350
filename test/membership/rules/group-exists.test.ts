import { checkGroupExists } from "../../../src/membership/rules";
import { instance, join, leave, move, ruleTable, world } from "../fixtures";

describe("checkGroupExists (InvalidSecurityGroupId.NotFound)", () => {
  ruleTable(checkGroupExists, [
    {
      name: "allows joining a group that exists",
      facts: world([instance("i-web1")]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "does not refuse leaving a group that no longer exists",
      facts: world([instance("i-web1")]),
      changes: [leave("i-web1", "sg-gone")],
      refused: [],
    },
    {
      name: "adopts a membership even when the group was not described",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-unlisted"] })]),
      changes: [join("i-web1", "sg-unlisted")],
      refused: [],
    },
    {
      name: "refuses to join a group that does not exist",
      facts: world([instance("i-web1")]),
      changes: [join("i-web1", "sg-nope")],
      refused: ["InvalidSecurityGroupId.NotFound: sg-nope does not exist, so i-web1 cannot join it"],
      detail: /Check the security group ID and the provider's region/,
    },
    {
      name: "refuses a move to a group that does not exist",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [move("i-web1", "sg-web", "sg-nope")],
      refused: ["InvalidSecurityGroupId.NotFound: sg-nope does not exist, so i-web1 cannot join it"],
    },
  ]);
});
