// Removes the run's temp directory made by global-setup.js.
const { rmSync } = require("node:fs");

module.exports = async () => {
  const dir = process.env.ALISG_TEST_TMP_ROOT;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
