import { checkInstanceStatus } from "../../../src/membership/rules";
import { instance, join, leave, ruleTable, world } from "../fixtures";

describe("checkInstanceStatus (IncorrectInstanceStatus)", () => {
  ruleTable(checkInstanceStatus, [
    {
      name: "allows a Running instance to join",
      facts: world([instance("i-web1", { status: "Running" })]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "allows a Stopped instance to leave",
      facts: world([instance("i-web1", { status: "Stopped", securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [leave("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "does not refuse adopting an existing membership of a Starting instance (no call made)",
      facts: world([instance("i-web1", { status: "Starting", securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "does not refuse leaving a group a Pending instance is not in (no call made)",
      facts: world([instance("i-web1", { status: "Pending" })]),
      changes: [leave("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "refuses to join while the instance is Starting",
      facts: world([instance("i-web1", { status: "Starting" })]),
      changes: [join("i-web1", "sg-web")],
      refused: ["IncorrectInstanceStatus: i-web1 is Starting, so it cannot join sg-web now"],
      detail: /Wait for i-web1 to reach Running or Stopped/,
    },
    {
      name: "refuses to leave while the instance is Stopping",
      facts: world([instance("i-web1", { status: "Stopping", securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [leave("i-web1", "sg-web")],
      refused: ["IncorrectInstanceStatus: i-web1 is Stopping, so it cannot leave sg-web now"],
    },
    {
      name: "refuses a status the API may add later",
      facts: world([instance("i-web1", { status: "Migrating", securityGroupIds: ["sg-web"] })]),
      changes: [join("i-web1", "sg-app"), leave("i-web1", "sg-web")],
      refused: [
        "IncorrectInstanceStatus: i-web1 is Migrating, so it cannot join sg-app and leave sg-web now",
      ],
    },
  ]);
});
