import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeCacheDir, codeCacheFile, runCachedBundle } from "../../../src/provider/plugin/code-cache";
import { tempDir } from "./helpers";

// A CommonJS bundle stands in for the provider's: functions to compile, one of them run at load.
const BUNDLE = `
const { join } = require("node:path");
function square(n) { return n * n; }
module.exports = { answer: square(6) + 6, joined: join("a", "b"), file: __filename };
`;

let dir: ReturnType<typeof tempDir>;
let bundle: string;
let cache: string;
beforeEach(() => {
  dir = tempDir("alisg-code-cache-");
  bundle = join(dir.path, "bundle.cjs");
  writeFileSync(bundle, BUNDLE);
  cache = join(dir.path, "cache");
});
afterEach(() => dir.cleanup());

const run = (key = "k1") => runCachedBundle(bundle, key, cache);
const exportsOf = (b: ReturnType<typeof run>) =>
  b.exports as { answer: number; joined: string; file: string };

describe("the provider's code cache", () => {
  it("compiles from source the first time and uses the stored code from then on", () => {
    const first = run();
    expect(first.cacheHit).toBe(false);
    expect(exportsOf(first)).toEqual({ answer: 42, joined: join("a", "b"), file: bundle });
    first.saveCache();
    expect(readdirSync(cache)).toEqual([`k1-${process.version}-${process.arch}.bin`]);

    const second = run();
    expect(second.cacheHit).toBe(true);
    expect(exportsOf(second).answer).toBe(42);
    second.saveCache(); // nothing to do: the file is left as it was
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it("misses when the bundle's key changes (another build)", () => {
    run("k1").saveCache();
    expect(run("k2").cacheHit).toBe(false);
  });

  it.each([
    ["a flipped byte", (b: Buffer) => Buffer.concat([b.subarray(0, -1), Buffer.from([b[b.length - 1] ^ 1])])],
    ["a truncated file", (b: Buffer) => b.subarray(0, b.length - 10)],
    ["an empty file", () => Buffer.alloc(0)],
    ["another format", (b: Buffer) => Buffer.concat([Buffer.from("XXXXXXXX"), b.subarray(8)])],
  ])("ignores a damaged cache file (%s) and writes it anew", (_what, damage) => {
    run().saveCache();
    const file = codeCacheFile(cache, "k1");
    const good = readFileSync(file);
    writeFileSync(file, damage(good));
    const again = run();
    expect(again.cacheHit).toBe(false);
    expect(exportsOf(again).answer).toBe(42);
    again.saveCache();
    expect(run().cacheHit).toBe(true);
  });

  it("runs without a cache when the cache directory cannot be written", () => {
    writeFileSync(cache, "a file where the directory should be");
    const b = run();
    expect(exportsOf(b).answer).toBe(42);
    expect(() => b.saveCache()).not.toThrow();
    if (process.getuid?.() !== 0) {
      // A read-only directory (root may write anyway).
      const ro = join(dir.path, "ro");
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      expect(() => runCachedBundle(bundle, "k1", join(ro, "cache")).saveCache()).not.toThrow();
    }
  });

  it("lives in the XDG cache directory, by default ~/.cache", () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: "/x/cache" })).toBe("/x/cache/alisg/provider-code-cache");
    expect(codeCacheDir({})).toMatch(/\/\.cache\/alisg\/provider-code-cache$/);
  });
});
