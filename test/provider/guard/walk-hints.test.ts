import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WalkHints } from "../../../src/provider/guard/walk-hints";

describe("walk hints: instance IDs handed between the provider processes of one run", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "alisg-hints-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("what one process records, the next process of the same run reads, once each", () => {
    const validating = new WalkHints(join(dir, "walks"), "4242-99");
    validating.record("instance", "i-one");
    validating.record("instance", "i-two");
    validating.record("instance", "i-one");
    validating.record("eni", "eni-one");
    const next = new WalkHints(join(dir, "walks"), "4242-99");
    expect(next.read()).toEqual({ instance: ["i-one", "i-two"], eni: ["eni-one"] });
    // Another run (another Terraform process, or the same PID started later) reads nothing.
    expect(new WalkHints(join(dir, "walks"), "4242-100").read().instance).toEqual([]);
  });

  test("reads at most the limit", () => {
    const h = new WalkHints(dir, "run", 3);
    for (const id of ["i-a", "i-b", "i-c", "i-d"]) h.record("instance", id);
    expect(h.read().instance).toEqual(["i-a", "i-b", "i-c"]);
  });

  test("an unwritable directory or no run key: nothing recorded, nothing read, no error", () => {
    // A file where the directory should be (unwritable even for root).
    writeFileSync(join(dir, "file"), "");
    const h = new WalkHints(join(dir, "file", "walks"), "run");
    expect(() => h.record("instance", "i-one")).not.toThrow();
    expect(h.read().instance).toEqual([]);
    const keyless = new WalkHints(dir, null);
    keyless.record("instance", "i-one");
    expect(keyless.read().instance).toEqual([]);
  });

  test("files of runs older than a day are removed when a new run writes", () => {
    const walks = join(dir, "walks");
    mkdirSync(walks);
    writeFileSync(join(walks, "old.ids"), "i-old\n");
    writeFileSync(join(walks, "recent.ids"), "i-recent\n");
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
    utimesSync(join(walks, "old.ids"), twoDaysAgo, twoDaysAgo);
    new WalkHints(walks, "new").record("instance", "i-new");
    expect(existsSync(join(walks, "old.ids"))).toBe(false);
    expect(existsSync(join(walks, "recent.ids"))).toBe(true);
  });
});
