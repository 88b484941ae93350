#!/usr/bin/env node
"use strict";
// The CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
const { buildCli } = require("../dist/cli/main.js");
buildCli()
  .parseAsync(process.argv)
  .catch((err) => {
    process.stderr.write(`alisg: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
