import { checkSameVpc } from "../../../src/membership/rules";
import { instance, join, leave, ruleTable, world } from "../fixtures";

describe("checkSameVpc (InvalidInstanceId.Mismatch)", () => {
  ruleTable(checkSameVpc, [
    {
      name: "allows joining a group of the instance's VPC",
      facts: world([instance("i-web1")]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "allows a classic-network instance to join a classic group",
      facts: world([instance("i-old", { vpcId: null, securityGroupIds: [] })]),
      changes: [join("i-old", "sg-classic")],
      refused: [],
    },
    {
      name: "does not refuse leaving a group of another VPC",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-far"] })]),
      changes: [leave("i-web1", "sg-far")],
      refused: [],
    },
    {
      name: "refuses to join a group in another VPC",
      facts: world([instance("i-web1")]),
      changes: [join("i-web1", "sg-far")],
      refused: [
        "InvalidInstanceId.Mismatch: i-web1 is in vpc-main but sg-far is in vpc-other, so it cannot join it",
      ],
      detail: /Use a security group in vpc-main/,
    },
    {
      name: "refuses to join a classic group with a VPC instance",
      facts: world([instance("i-web1")]),
      changes: [join("i-web1", "sg-classic")],
      refused: [
        "InvalidInstanceId.Mismatch: i-web1 is in vpc-main but sg-classic is in the classic network, so it cannot join it",
      ],
    },
  ]);
});
