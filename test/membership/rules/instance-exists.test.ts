import { checkInstanceExists } from "../../../src/membership/rules";
import { instance, join, leave, move, ruleTable, world } from "../fixtures";

describe("checkInstanceExists (InvalidInstanceId.NotFound)", () => {
  ruleTable(checkInstanceExists, [
    {
      name: "allows joining with an instance that exists",
      facts: world([instance("i-web1")]),
      changes: [join("i-web1", "sg-web")],
      refused: [],
    },
    {
      name: "does not refuse leaving a group of an instance that no longer exists",
      facts: world([]),
      changes: [leave("i-gone", "sg-web")],
      refused: [],
    },
    {
      name: "refuses to join with an instance that does not exist",
      facts: world([]),
      changes: [join("i-nope", "sg-web")],
      refused: ["InvalidInstanceId.NotFound: i-nope does not exist, so it cannot join sg-web"],
      detail: /Check the instance ID and the provider's region/,
    },
    {
      name: "refuses a move on an instance that does not exist (its join cannot happen)",
      facts: world([]),
      changes: [move("i-nope", "sg-base", "sg-web")],
      refused: ["InvalidInstanceId.NotFound: i-nope does not exist, so it cannot join sg-web"],
    },
  ]);
});
