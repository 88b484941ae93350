// The Node.js releases the tests run beside the one running jest (test/node-matrix/package.json):
// npm packages of the official binaries, installed with `npm ci` from the committed lock file
// into node_modules/.cache/alisg-node-matrix. Not root devDependencies: each package has a bin
// named `node`, which npm would link into node_modules/.bin, where it would replace the Node.js
// of every npm script, jest's included. Installed once per checkout (again when the lock file
// changes); a failed install fails the run, naming what npm said.
const { spawnSync } = require("node:child_process");
const { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..", "..");
const SPEC = join(ROOT, "test", "node-matrix");
const INSTALL_DIR = join(ROOT, "node_modules", ".cache", "alisg-node-matrix");

/** alias -> version, from the committed lock file. */
function pinned() {
  const lock = JSON.parse(readFileSync(join(SPEC, "package-lock.json"), "utf8"));
  const out = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith("node_modules/")) out[path.slice("node_modules/".length)] = entry.version;
  }
  return out;
}

function binOf(dir, alias) {
  return join(dir, "node_modules", alias, "bin", "node");
}

/** Whether `dir` holds every pinned binary, answering `--version` with its pinned version. */
function complete(dir, versions) {
  return Object.entries(versions).every(([alias, version]) => {
    const bin = binOf(dir, alias);
    if (!existsSync(bin)) return false;
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    return r.status === 0 && r.stdout.trim() === `v${version}`;
  });
}

/** npm's own environment variables (npm test sets them) would steer the nested install. */
function npmEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_UPDATE_NOTIFIER: "1" };
}

/** Installs the pinned binaries unless they are there; returns alias -> { version, bin }. */
function ensureNodeMatrix() {
  const versions = pinned();
  if (!complete(INSTALL_DIR, versions)) {
    // Installed beside the final place and renamed into it: a run stopped half-way leaves nothing half-installed.
    const staging = `${INSTALL_DIR}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(SPEC, f), join(staging, f));
    const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: staging,
      env: npmEnv(),
      encoding: "utf8",
    });
    if (r.status !== 0 || !complete(staging, versions)) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(
        `installing the test Node.js binaries (test/node-matrix) failed (exit ${r.status}):\n${r.stderr}${r.stdout}`,
      );
    }
    rmSync(INSTALL_DIR, { recursive: true, force: true });
    renameSync(staging, INSTALL_DIR);
  }
  return Object.fromEntries(
    Object.entries(versions).map(([alias, version]) => [alias, { version, bin: binOf(INSTALL_DIR, alias) }]),
  );
}

module.exports = { ensureNodeMatrix, INSTALL_DIR };
