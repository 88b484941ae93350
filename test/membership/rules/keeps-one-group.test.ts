import { checkKeepsOneGroup } from "../../../src/membership/rules";
import { instance, join, leave, move, ruleTable, world } from "../fixtures";

describe("checkKeepsOneGroup (InstanceLastSecurityGroup)", () => {
  ruleTable(checkKeepsOneGroup, [
    {
      name: "allows leaving one of two groups",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [leave("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "allows moving the only group (join then leave)",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-web"] })]),
      changes: [move("i-web1", "sg-web", "sg-app")],
      refused: [],
    },
    {
      name: "allows leaving the last group when the same set joins another",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-web"] })]),
      changes: [leave("i-web1", "sg-web"), join("i-web1", "sg-app")],
      refused: [],
    },
    {
      name: "counts groups alisg does not manage as keeping the instance in a group",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-web", "sg-unmanaged"] })]),
      changes: [leave("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "ignores a leave of a group the instance is not in",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base"] })]),
      changes: [leave("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "refuses to leave the last group",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-web"] })]),
      changes: [leave("i-web1", "sg-web")],
      refused: [
        "InstanceLastSecurityGroup: removing sg-web from i-web1 would leave it with no security group",
      ],
      detail: /Keep another group attached first.*retain_on_delete = true/,
    },
    {
      name: "refuses two leaves that together empty the instance",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-web", "sg-base"] })]),
      changes: [leave("i-web1", "sg-web"), leave("i-web1", "sg-base")],
      refused: [
        "InstanceLastSecurityGroup: removing sg-base and sg-web from i-web1 would leave it with no security group",
      ],
      detail: /removes all of i-web1's groups together/,
    },
    {
      name: "refuses a move whose new group another removal leaves again",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-web"] })]),
      changes: [move("i-web1", "sg-web", "sg-app"), leave("i-web1", "sg-app")],
      refused: [
        "InstanceLastSecurityGroup: removing sg-app and sg-web from i-web1 would leave it with no security group",
      ],
    },
    {
      name: "refuses a leave and a move-away that together empty the instance",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-web", "sg-base"] })]),
      changes: [leave("i-web1", "sg-base"), move("i-web1", "sg-web", "sg-base")],
      refused: [
        "InstanceLastSecurityGroup: removing sg-base and sg-web from i-web1 would leave it with no security group",
      ],
    },
  ]);
});
