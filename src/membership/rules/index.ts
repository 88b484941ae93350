import { checkGroupExists } from "./group-exists";
import { checkGroupLimit } from "./group-limit";
import { checkGroupTypeMix } from "./group-type-mix";
import { checkInstanceStatus } from "./instance-status";
import { checkKeepsOneGroup } from "./keeps-one-group";
import { checkProtectedGroup } from "./protected-group";
import { checkNetworkInterfaceStatus } from "./network-interface-status";
import { checkSameVpc } from "./same-vpc";
import { checkSecurityLock } from "./security-lock";
import type { RuleCode } from "../types";
import type { Rule } from "./subject";

export { checkIdSyntax, malformedIds } from "./id-syntax";
export { checkInstanceExists } from "./instance-exists";
export { checkInstanceStatus, CHANGEABLE_STATUSES } from "./instance-status";
export { checkSecurityLock } from "./security-lock";
export { checkGroupExists } from "./group-exists";
export { checkSameVpc } from "./same-vpc";
export { checkGroupTypeMix, typesMixed } from "./group-type-mix";
export { checkGroupLimit, overLimit } from "./group-limit";
export { checkKeepsOneGroup, leftWithNone } from "./keeps-one-group";
export { checkProtectedGroup, protectedDetail, protectedSentence, takesProtected } from "./protected-group";
export {
  checkNetworkInterfaceStatus,
  CHANGEABLE_NETWORK_INTERFACE_STATUSES,
} from "./network-interface-status";
export { subjectOf, type Rule, type RuleSubject } from "./subject";

/**
 * The rules for an instance that exists and whose IDs are well formed, in the
 * order their refusals are listed. `checkIdSyntax` runs before these and
 * `checkInstanceExists` instead of them (see `planMembership`).
 */
export const INSTANCE_RULES: readonly Rule[] = [
  checkInstanceStatus,
  checkNetworkInterfaceStatus,
  checkSecurityLock,
  checkGroupExists,
  checkSameVpc,
  checkGroupTypeMix,
  checkGroupLimit,
  checkKeepsOneGroup,
  checkProtectedGroup,
];

/** Every refusal code the rules above (and the ID and existence checks) give, in the order of their rules. */
export const RULE_CODES: readonly RuleCode[] = [
  "InvalidInstanceId.Malformed",
  "InvalidSecurityGroupId.Malformed",
  "InvalidInstanceId.NotFound",
  "IncorrectInstanceStatus",
  "InstanceLockedForSecurity",
  "InvalidSecurityGroupId.NotFound",
  "InvalidInstanceId.Mismatch",
  "InvalidOperation.MultiGroupType",
  "InstanceSecurityGroupLimitExceeded",
  "InstanceLastSecurityGroup",
  "ProtectedSecurityGroup",
];
