/** Settings both projects share. */
const common = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }],
  },
};

/** The examples import the package by name, as users do; in tests that is the source. */
const packageName = { "^cdktf-alicloud-sg-attachment$": "<rootDir>/src/index.ts" };

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: "<rootDir>/test/setup/global-setup.js",
  globalTeardown: "<rootDir>/test/setup/global-teardown.js",
  // End-to-end tests start real terraform processes; the machine has 2 cores.
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: "cdktf",
      globals: { ALISG_TEST_CDK: "cdktf" },
      moduleNameMapper: packageName,
    },
    {
      // The constructs suite again on cdktn: the source and the tests load cdktn wherever they
      // name cdktf, which is what scripts/build-cdktn.mjs does to the cdktn entry point.
      ...common,
      displayName: "cdktn",
      globals: { ALISG_TEST_CDK: "cdktn" },
      roots: ["<rootDir>/test/constructs"],
      moduleNameMapper: {
        ...packageName,
        "^cdktf$": "cdktn",
        "^cdktf/(.*)$": "cdktn/$1",
      },
    },
  ],
};
