// One temp directory for the whole test run, set as TMPDIR before jest starts its workers (they
// inherit it), removed by global-teardown.js: whatever the tests, the libraries they use (cdktf's
// Testing helpers write cdktf.outdir.* and never remove them) and their child processes (terraform,
// the provider and its socket) put under os.tmpdir() goes with it.
//
// Also makes sure the Node.js binaries of the test matrix are installed (node-matrix.js) and tells
// the workers where they are (ALISG_TEST_NODES, read by test/support/node-matrix.ts).
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { ensureNodeMatrix } = require("./node-matrix");

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), "alisg-test-run-"));
  process.env.ALISG_TEST_TMP_ROOT = dir;
  process.env.TMPDIR = dir;
  process.env.ALISG_TEST_NODES = JSON.stringify(ensureNodeMatrix());
};
