import { quoteId } from "../../src/membership/ids";
import { isWellFormedInstanceId, isWellFormedSecurityGroupId, MAX_ID_LENGTH } from "../../src/membership/ids";

describe("ID syntax", () => {
  test.each([
    ["a real instance ID", "i-bp1a2b3c4d5e6f7g8h9i"],
    ["a real group ID", "sg-bp1xyz"],
    ["a demo ID", "i-web1"],
    ["underscores", "sg_web_1"],
    ["the longest ID allowed", "a".repeat(MAX_ID_LENGTH)],
  ])("accepts %s", (_what, id) => {
    expect(isWellFormedInstanceId(id)).toBe(true);
    expect(isWellFormedSecurityGroupId(id)).toBe(true);
  });

  test.each([
    ["an empty ID", ""],
    ["a space inside", "i web1"],
    ["a leading space", " sg-web"],
    ["a trailing newline", "sg-web\n"],
    ["a tab", "i-\tweb"],
    ["a semicolon", "sg-b;"],
    ["a colon (an attachment ID, not a group ID)", "i-web1:sg-web"],
    ["a dot", "sg.web"],
    ["a slash", "sg/web"],
    ["a quote", 'sg-"web'],
    ["non-ASCII letters", "sg-ü"],
    ["an ID longer than the maximum", "a".repeat(MAX_ID_LENGTH + 1)],
  ])("refuses %s", (_what, id) => {
    expect(isWellFormedInstanceId(id)).toBe(false);
    expect(isWellFormedSecurityGroupId(id)).toBe(false);
  });
});

describe("quoteId", () => {
  it.each([
    ["i-web1", "i-web1"],
    ["sg_base-2", "sg_base-2"],
    ["", '""'],
    ["i web1", '"i web1"'],
    ["i-web1\nforged", '"i-web1\\nforged"'],
    ['sg-"x"', '"sg-\\"x\\""'],
  ])("shows %j as %s", (id, shown) => {
    expect(quoteId(id)).toBe(shown);
  });
});
