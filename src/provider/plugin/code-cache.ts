/**
 * Runs the provider bundle with a V8 code cache, so that a provider start
 * deserializes compiled code instead of parsing and compiling the bundle
 * again: Terraform starts the provider several times per command.
 *
 * The cache is a file per bundle and Node.js binary under the user's cache
 * directory (`$XDG_CACHE_HOME/alisg/provider-code-cache`, by default
 * `~/.cache/alisg/provider-code-cache`). It is an optimisation only: a file
 * that is absent, stale, corrupt or unwritable is ignored and the bundle is
 * compiled from source, as without it.
 *
 * `vm.Script` with `cachedData` rather than Node's own compile cache
 * (`module.enableCompileCache()`, Node.js 22+): ours is written after the
 * handshake, so it holds every function start-up ran, where Node's holds the
 * bundle's top level only and a bundle is almost all inner functions
 * (measured in docs/provider-plugin.md). It also works on Node.js 20.
 */
import { createHash } from "node:crypto";
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { alisgCacheDir } from "../../util/cache-dir";

/** A loaded bundle and the means to store its compiled code for the next start. */
export interface CachedBundle {
  /** What the bundle assigned to `module.exports`. */
  readonly exports: unknown;
  /** Whether compiled code from the cache was used. */
  readonly cacheHit: boolean;
  /**
   * Writes the compiled code (everything run so far) to the cache unless it
   * came from there. Never throws.
   */
  readonly saveCache: () => void;
}

/** "ALISG code cache, format 1". */
const MAGIC = Buffer.from("ALISGCC1");
/** magic, payload length (uint32 LE), SHA-1 of the payload (20 bytes). */
const HEADER_BYTES = MAGIC.length + 4 + 20;

/** Detects damage, not tampering: the cache sits in the user's own directory. */
const digest = (payload: Buffer): Buffer => createHash("sha1").update(payload).digest();

/** Where code caches live: the XDG cache directory, as other tools keep theirs. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(alisgCacheDir(env), "provider-code-cache");
}

/**
 * The cache file of one bundle on this Node.js. V8 refuses a cache made by
 * another V8 or with other flags by itself; the key makes those cases a miss
 * instead of a rejected read, and lets caches of several Node.js coexist.
 * `bundleKey` must change whenever the bundle's text does (the build passes
 * its content hash): V8 checks only the source's length.
 */
export function codeCacheFile(dir: string, bundleKey: string): string {
  return join(dir, `${bundleKey}-${process.version}-${process.arch}.bin`);
}

/** Loads and runs the CommonJS bundle at `path`, with the code cache when it is valid. */
export function runCachedBundle(path: string, bundleKey: string, dir: string = codeCacheDir()): CachedBundle {
  // The build makes the bundle ASCII (scripts/bundle-provider.mjs): latin1 reads it into a
  // one-byte string without decoding UTF-8, the same text.
  const source = readFileSync(path, "latin1");
  const file = codeCacheFile(dir, bundleKey);
  const cachedData = readCache(file);
  // The same wrapper as Node's CommonJS loader, so the bundle sees the usual module scope.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: path,
    cachedData,
  });
  const cacheHit = cachedData !== undefined && !script.cachedDataRejected;
  const mod = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  // The bundle requires only Node.js's own modules (its dependencies are inside it), which
  // this module's `require` resolves the same way from anywhere (no `node:module` to load).
  wrapper.call(mod.exports, mod.exports, require, mod, path, dirname(path));

  let saved = cacheHit;
  return {
    exports: mod.exports,
    cacheHit,
    saveCache: () => {
      if (saved) return;
      saved = true;
      try {
        writeCache(dir, file, script.createCachedData());
      } catch {
        // Read-only home, full disk, ...: the next start compiles again.
      }
    },
  };
}

function readCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = bytes.readUInt32LE(MAGIC.length);
  const checksum = bytes.subarray(MAGIC.length + 4, HEADER_BYTES);
  const payload = bytes.subarray(HEADER_BYTES);
  // V8 trusts what it is given: a truncated or damaged file is dropped here, not run.
  if (payload.length !== length || !digest(payload).equals(checksum)) return undefined;
  return payload;
}

function writeCache(dir: string, file: string, payload: Buffer): void {
  mkdirSync(dir, { recursive: true });
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32LE(payload.length, MAGIC.length);
  digest(payload).copy(header, MAGIC.length + 4);
  // Written aside and renamed: a concurrent start reads the old file or the new one, never half of one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([header, payload]));
  renameSync(tmp, file);
  removeOldCaches(dir, file);
}

/** A cache written this long ago is removed when another is written (it is rewritten if still used). */
const MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * Caches of earlier builds are never read again. Several builds are in use
 * at once (checkouts, test fixtures), so only old files go, and only when a
 * start writes a cache anyway.
 */
function removeOldCaches(dir: string, keep: string): void {
  const cutoff = Date.now() - MAX_AGE_MS;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (path !== keep && statSync(path).mtimeMs < cutoff) unlinkSync(path);
    } catch {
      // removed by another process meanwhile
    }
  }
}
