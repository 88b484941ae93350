/**
 * Public entry point of the package: the constructs and the pieces users may reuse. This file is
 * the cdktf entry point (`cdktf-alicloud-sg-attachment`); scripts/build-cdktn.mjs builds it again,
 * with the constructs, as the cdktn one (`cdktf-alicloud-sg-attachment/cdktn`).
 */
export * from "./constructs";
/** The local ECS emulator, for tests and CI (see docs/emulator.md). */
export {
  startEmulator,
  loadSeedFile,
  EmulatorStateError,
  type EmulatorOptions,
  type RunningEmulator,
  type EmulatorSeed,
  type CallRecord,
  type FaultSettings,
} from "./emulator/server";
