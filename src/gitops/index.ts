/** The GitOps gate and report: read plan/state JSON, judge with `membership/`, write reports. */
export { GitopsInputError } from "./input-error";
export { readPlan, type AlisgProviderBlock, type PlanFile } from "./plan-reader";
export { planProviderSettings, type PlanProviderSettings, type SettingAttribute } from "./plan-settings";
export { readState, type ManagedKind, type StateResource } from "./state-reader";
export { readManagedMemberships, type ManagedMembership } from "./managed-memberships";
export { readIgnoreFile } from "./ignore-file";
export { loadFacts, type EcsReader } from "./facts-loader";
export { ecsSettings, type EcsOptions } from "./ecs-settings";
export { compareDrift, type DriftItem, type DriftKind, type DriftReport, type IgnoreEntry } from "./drift";
export { checkPlans, combinePlans, reportDrift } from "./gate";
export { showState } from "./terraform-show";
export {
  exitCodeOf,
  headline,
  REPORT_FORMAT_VERSION,
  type CheckPlanReport,
  type DriftCommandReport,
  type Report,
} from "./report";
export { writeText } from "./text-report";
export { writeJson } from "./json-report";
export { writeGithub, type GithubOutput } from "./github-report";
export * from "./adopt";
