import { checkIdSyntax } from "../../../src/membership/rules";
import { join, leave, move, ruleTable, world } from "../fixtures";

const NONE = world([]);

describe("checkIdSyntax (InvalidInstanceId.Malformed, InvalidSecurityGroupId.Malformed)", () => {
  ruleTable(checkIdSyntax, [
    { name: "allows demo IDs", facts: NONE, changes: [join("i-web1", "sg-web")], refused: [] },
    { name: "allows real IDs", facts: NONE, changes: [join("i-bp1a2b3c4d", "sg-bp1xyz_01")], refused: [] },
    {
      name: "refuses an instance ID with a space",
      facts: NONE,
      changes: [join("i web1", "sg-web")],
      refused: [
        'InvalidInstanceId.Malformed: "i web1" is not a valid instance ID (it contains whitespace), so it cannot join sg-web',
      ],
      detail: /letters, digits, '-' and '_' only/,
    },
    {
      name: "refuses an empty instance ID",
      facts: NONE,
      changes: [leave("", "sg-web")],
      refused: [
        'InvalidInstanceId.Malformed: "" is not a valid instance ID (it is empty), so it cannot leave sg-web',
      ],
    },
    {
      name: "quotes an empty group ID, so the sentence does not break",
      facts: NONE,
      changes: [join("", "")],
      refused: [
        'InvalidInstanceId.Malformed: "" is not a valid instance ID (it is empty), so it cannot join ""',
        'InvalidSecurityGroupId.Malformed: "" is not a valid security group ID (it is empty), so "" cannot join it',
      ],
    },
    {
      name: "escapes a newline in an ID instead of printing it raw",
      facts: NONE,
      changes: [join("i-web1\nInstanceLastSecurityGroup: forged", "sg-web")],
      refused: [
        'InvalidInstanceId.Malformed: "i-web1\\nInstanceLastSecurityGroup: forged" is not a valid instance ID (it contains whitespace), so it cannot join sg-web',
      ],
    },
    {
      name: "refuses a group ID with odd characters",
      facts: NONE,
      changes: [join("i-web1", "sg-b;")],
      refused: [
        "InvalidSecurityGroupId.Malformed: \"sg-b;\" is not a valid security group ID (it may contain only letters, digits, '-' and '_'), so i-web1 cannot join it",
      ],
    },
    {
      name: "refuses a malformed group a move leaves, once however often it appears",
      facts: NONE,
      changes: [move("i-web1", "sg web", "sg-app"), leave("i-web1", "sg web")],
      refused: [
        'InvalidSecurityGroupId.Malformed: "sg web" is not a valid security group ID (it contains whitespace), so i-web1 cannot leave it',
      ],
    },
    {
      name: "lists every malformed ID of the instance",
      facts: NONE,
      changes: [join("i:1", "sg-ü")],
      refused: [
        "InvalidInstanceId.Malformed: \"i:1\" is not a valid instance ID (it may contain only letters, digits, '-' and '_'), so it cannot join \"sg-ü\"",
        "InvalidSecurityGroupId.Malformed: \"sg-ü\" is not a valid security group ID (it may contain only letters, digits, '-' and '_'), so \"i:1\" cannot join it",
      ],
    },
  ]);
});

describe("checkIdSyntax on an ENI (InvalidEniId.Malformed, as ECS answers)", () => {
  const described = (...ids: string[]) => ({
    ...NONE,
    networkInterfaces: new Map(ids.map((id) => [id, null])),
  });
  ruleTable(checkIdSyntax, [
    {
      name: "refuses an ENI ID with a space, naming the network interface",
      facts: described("eni web1"),
      changes: [join("eni web1", "sg-web")],
      refused: [
        'InvalidEniId.Malformed: "eni web1" is not a valid network interface ID (it contains whitespace), so it cannot join sg-web',
      ],
      detail: /A network interface ID is letters, digits, '-' and '_' only, e.g. eni-bp1a2b3c4d/,
    },
    {
      name: "refuses a malformed group of a well-formed ENI with the group code",
      facts: described("eni-1"),
      changes: [leave("eni-1", "sg web")],
      refused: [
        'InvalidSecurityGroupId.Malformed: "sg web" is not a valid security group ID (it contains whitespace), so eni-1 cannot leave it',
      ],
    },
    {
      name: "allows a well-formed ENI ID",
      facts: described("eni-bp1a2b"),
      changes: [join("eni-bp1a2b", "sg-web")],
      refused: [],
    },
  ]);
});
