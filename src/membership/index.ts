/** Pure safety rules and change planning for ECS security-group membership (no I/O). */
export type {
  Change,
  Facts,
  GroupFacts,
  InstanceFacts,
  InstancePlan,
  NetworkInterfaceFacts,
  Note,
  Operation,
  Policy,
  Refusal,
  RuleCode,
} from "./types";
export { NO_POLICY } from "./types";
export {
  describeMalformedId,
  isWellFormedInstanceId,
  isWellFormedSecurityGroupId,
  MAX_ID_LENGTH,
} from "./ids";
export { planMembership } from "./plan";
export { decideMembership, type MembershipDecision } from "./decision";
export {
  CHANGEABLE_NETWORK_INTERFACE_STATUSES,
  CHANGEABLE_STATUSES,
  checkGroupExists,
  checkGroupLimit,
  checkGroupTypeMix,
  checkIdSyntax,
  malformedIds,
  checkInstanceExists,
  checkInstanceStatus,
  checkKeepsOneGroup,
  checkProtectedGroup,
  checkNetworkInterfaceStatus,
  checkSameVpc,
  checkSecurityLock,
  INSTANCE_RULES,
  RULE_CODES,
  takesProtected,
  type Rule,
  subjectOf,
  type RuleSubject,
} from "./rules";
export { joinTargetsOf, leaveTargetsOf } from "./rules/subject";
export { memberFacts, subjectIdOf, toSubjectChanges, toSubjectResourceChanges } from "./subjects";
export { isAlicloudKind, isAttachmentKind, isSetKind, namesNetworkInterface } from "./resource-change";
export type {
  Finding,
  Holding,
  PlanCode,
  PlanJudgement,
  ReplacementOrder,
  ResourceChange,
  ResourceKind,
} from "./resource-change";
export { factsNeeded, judgePlan, type JudgeOptions } from "./judge-plan";
export { heldBy } from "./held";
export { exploreOrders, MAX_ORDER_STATES, type OrderContext, type OrderOutcomes } from "./apply-orders";
export {
  applyWork,
  callsAt,
  changesOf,
  isKnown,
  isUnknownGroup,
  known,
  makesNoCall,
  stepsOf,
  type ApplyStep,
  type Claim,
  type StepCall,
} from "./apply-steps";
