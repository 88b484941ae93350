import fc from "fast-check";
import { isWellFormedId } from "../../src/emulator/ids";
import { isWellFormedInstanceId, isWellFormedSecurityGroupId } from "../../src/membership/ids";

// What the provider lets through, the emulator serves, and the reverse.
describe("the emulator's ID rule is the provider's", () => {
  test.each([
    "i-web1",
    "sg-bp1xyz_01",
    "a",
    "x".repeat(64),
    "",
    "x".repeat(65),
    "i.web1",
    "i web1",
    "i-ü",
    "-x",
  ])("%j is judged alike", (id) => {
    expect(isWellFormedId(id)).toBe(isWellFormedInstanceId(id));
    expect(isWellFormedId(id)).toBe(isWellFormedSecurityGroupId(id));
  });

  test("for any string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (id) => isWellFormedId(id) === isWellFormedInstanceId(id)),
      { seed: Number(process.env.ALISG_PROPERTY_SEED ?? 20261201), numRuns: 2000 },
    );
  });
});
