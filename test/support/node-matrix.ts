/**
 * The Node.js releases the tests run on: the one running jest (Node.js 20, the
 * lower bound of `engines`, on the project's machines) and Node.js 22 and 24,
 * official binaries from the npm registry that the global setup installs
 * (test/setup/node-matrix.js). Tests that run the provider, the CLI or a
 * cdktn app on each of them take their list from here.
 */
import { dirname, join } from "node:path";

export interface NodeRuntime {
  /** The major version, e.g. 22. */
  readonly major: number;
  /** What `process.version` says in that Node.js, e.g. `v22.23.5`. */
  readonly version: string;
  /** The executable. */
  readonly bin: string;
}

function fromSetup(): NodeRuntime[] {
  const text = process.env.ALISG_TEST_NODES;
  if (!text) {
    throw new Error(
      "ALISG_TEST_NODES is not set: run the tests with jest from the repository root, whose global setup installs Node.js 22 and 24 (test/setup/node-matrix.js)",
    );
  }
  const installed = JSON.parse(text) as Record<string, { version: string; bin: string }>;
  return Object.values(installed)
    .map(({ version, bin }) => ({ major: Number(version.split(".")[0]), version: `v${version}`, bin }))
    .sort((a, b) => a.major - b.major);
}

/** The Node.js running this test. */
export const TEST_NODE: NodeRuntime = {
  major: Number(process.versions.node.split(".")[0]),
  version: process.version,
  bin: process.execPath,
};

/** Node.js 22 and 24 from the npm registry. */
export const OTHER_NODES: readonly NodeRuntime[] = fromSetup();

/** Every Node.js the tests run on, the one running them first. */
export const NODE_MATRIX: readonly NodeRuntime[] = [TEST_NODE, ...OTHER_NODES];

/** `PATH` with this Node.js's `node` first, as a user who installed it would have it. */
export function pathWithNode(node: NodeRuntime, path: string = process.env.PATH ?? ""): string {
  return `${dirname(node.bin)}:${path}`;
}

const RECORDER = join(__dirname, "record-node-version.js");

/**
 * Environment under which every Node.js process started (the provider from
 * its launcher, a CDK CLI, an app) appends its `process.version` to `log`:
 * how a test sees which Node.js actually ran them.
 */
export function recordNodeVersions(log: string): Record<string, string> {
  return { NODE_OPTIONS: `--require ${JSON.stringify(RECORDER)}`, ALISG_TEST_NODE_LOG: log };
}
