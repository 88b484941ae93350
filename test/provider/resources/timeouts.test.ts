import { beforeDeadline } from "../../../src/provider/guard/deadline";
import { deadlineFor, parseDuration, timeoutsDiagnostics } from "../../../src/provider/resources/timeouts";

describe("timeouts", () => {
  test.each([
    ["10m", 600_000],
    ["3s", 3_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    ["500ms", 500],
    ["2m3.5s", 123_500],
    ["0", 0],
    ["1500us", 1.5],
    ["1500\u00b5s", 1.5],
    ["1500\u03bcs", 1.5],
  ])("parses the Terraform duration %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(["", "10", "ten minutes", "-5m", "5 m", "5d", "m"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test("the deadline of an operation comes from its entry in the block, else 10m", () => {
    const now = 1_000;
    expect(deadlineFor({ timeouts: { create: null, update: null, delete: "3s" } }, "delete", now)).toEqual({
      at: 4_000,
      description: 'timeouts.delete = "3s"',
    });
    expect(deadlineFor({ timeouts: { create: null, update: null, delete: "3s" } }, "create", now)).toEqual({
      at: 601_000,
      description: 'timeouts.create, default "10m"',
    });
    expect(deadlineFor({ timeouts: null }, "update", now).at).toBe(601_000);
    expect(deadlineFor(null, "delete", now).at).toBe(601_000);
  });

  test("validate names the attribute of a value that is not a duration", () => {
    expect(timeoutsDiagnostics({ timeouts: { create: "10 minutes", update: null, delete: "0s" } })).toEqual([
      expect.objectContaining({ summary: "Invalid timeouts.create", attribute: ["timeouts", "create"] }),
      expect.objectContaining({ summary: "Invalid timeouts.delete", attribute: ["timeouts", "delete"] }),
    ]);
    expect(timeoutsDiagnostics({ timeouts: { create: "90s", update: null, delete: null } })).toEqual([]);
  });

  test("beforeDeadline gives up on slow work at the deadline, naming it", async () => {
    let settled = false;
    const slow = new Promise((resolve) => setTimeout(resolve, 2_000).unref()).then(() => (settled = true));
    await expect(
      beforeDeadline(slow, { at: Date.now() + 50, description: 'timeouts.delete = "50ms"' }),
    ).rejects.toThrow('Timeout: gave up at the deadline (timeouts.delete = "50ms")');
    // It gave up before the slow work ended, not after.
    expect(settled).toBe(false);
    await expect(beforeDeadline(Promise.resolve(7), { at: Date.now() + 50, description: "x" })).resolves.toBe(
      7,
    );
  });
});
