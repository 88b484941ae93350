import { checkGroupTypeMix } from "../../../src/membership/rules";
import { instance, join, leave, move, ruleTable, world } from "../fixtures";

describe("checkGroupTypeMix (InvalidOperation.MultiGroupType)", () => {
  ruleTable(checkGroupTypeMix, [
    {
      name: "allows joining a group of the same type",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-ent"] })]),
      changes: [join("i-web1", "sg-ent2")],
      refused: [],
    },
    {
      name: "does not count current groups whose type is unknown",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-unlisted"] })]),
      changes: [join("i-web1", "sg-ent")],
      refused: [],
    },
    {
      name: "does not refuse leaving when the instance already mixes types",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-ent"] })]),
      changes: [leave("i-web1", "sg-ent")],
      refused: [],
    },
    {
      name: "refuses to join an enterprise group while in a normal one",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base"] })]),
      changes: [join("i-web1", "sg-ent")],
      refused: [
        "InvalidOperation.MultiGroupType: i-web1 cannot join sg-ent (enterprise) while it is in sg-base (normal): an instance's groups must all be of one type",
      ],
      detail: /Use a normal security group instead/,
    },
    {
      name: "refuses a move from a normal to an enterprise group (the join comes first)",
      facts: world([instance("i-web1", { securityGroupIds: ["sg-base"] })]),
      changes: [move("i-web1", "sg-base", "sg-ent")],
      refused: [
        "InvalidOperation.MultiGroupType: i-web1 cannot join sg-ent (enterprise) while it is in sg-base (normal): an instance's groups must all be of one type",
      ],
    },
    {
      name: "refuses joining groups of both types in one set",
      facts: world([instance("i-web1", { securityGroupIds: [] })]),
      changes: [join("i-web1", "sg-ent"), join("i-web1", "sg-web")],
      refused: [
        "InvalidOperation.MultiGroupType: i-web1 cannot join sg-web (normal) while it is in sg-ent (enterprise): an instance's groups must all be of one type",
      ],
    },
  ]);
});
