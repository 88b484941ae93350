import { checkGroupExists } from "./group-exists";
import { checkGroupLimit } from "./group-limit";
import { checkGroupTypeMix } from "./group-type-mix";
import { checkInstanceStatus } from "./instance-status";
import { checkKeepsOneGroup } from "./keeps-one-group";
import { checkNetworkInterfaceStatus } from "./network-interface-status";
import { checkSameVpc } from "./same-vpc";
import { checkSecurityLock } from "./security-lock";
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
];
