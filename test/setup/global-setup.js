// One temp directory for the whole test run, set as TMPDIR before jest starts its workers (they
// inherit it), removed by global-teardown.js: whatever the tests, the libraries they use (cdktf's
// Testing helpers write cdktf.outdir.* and never remove them) and their child processes (terraform,
// the provider and its socket) put under os.tmpdir() goes with it.
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), "alisg-test-run-"));
  process.env.ALISG_TEST_TMP_ROOT = dir;
  process.env.TMPDIR = dir;
};
