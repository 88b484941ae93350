// Preloaded with NODE_OPTIONS=--require by tests (see node-matrix.ts): each Node.js process
// appends the version it runs on to $ALISG_TEST_NODE_LOG, one line each.
const log = process.env.ALISG_TEST_NODE_LOG;
if (log) require("node:fs").appendFileSync(log, `${process.version}\n`);
