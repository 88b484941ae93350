/** Public entry point of the package: the cdktf constructs and the pieces users may reuse. */
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
