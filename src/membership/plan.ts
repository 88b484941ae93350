import { checkIdSyntax, checkInstanceExists, INSTANCE_RULES } from "./rules";
import { joinTargetsOf, leaveTargetsOf, subjectOf, type RuleSubject } from "./rules/subject";
import { isMissingNetworkInterface, toSubjectChanges } from "./subjects";
import {
  NO_POLICY,
  type Change,
  type Facts,
  type InstancePlan,
  type Note,
  type Operation,
  type Policy,
  type Refusal,
} from "./types";

/**
 * Decides, for every instance the changes touch, which API calls to make or
 * why none may be made. Pure: the same facts and changes give the same plan.
 *
 * The caller decides which changes are judged together, and the answer holds
 * for exactly that set. Pass every change that will run for an instance: the
 * provider passes one resource's own changes plus the removals and moves other
 * resources planned for the same instance, so that two removals that each
 * look safe alone are refused together (`InstanceLastSecurityGroup`); the plan
 * gate passes the whole Terraform plan. At apply time, pass the changes about
 * to be made with facts described just before.
 *
 * Semantics, per instance (plans in order of the instance's first appearance):
 * - malformed IDs are refused before anything else is looked at;
 * - a join (or a move's `to`) of a group the instance is already in makes no
 *   call: noted `already-member` (the attachment adopts it);
 * - a join to an instance that does not exist is refused
 *   (`InvalidInstanceId.NotFound`); a leave of one is noted `instance-gone`;
 * - a leave (or a move's `from`) of a group the instance is not in, and does
 *   not join in this same set, makes no call: noted `not-a-member`, or
 *   `group-gone` when the group is absent from `facts.groups`. Nothing to do
 *   is success, never a refusal;
 * - a move is a join of `to` then a leave of `from`;
 * - operations are deduplicated and every join comes before any leave, so the
 *   rules judge the busiest moment (group limit, group types) and the end
 *   (at least one group left);
 * - status and security-lock rules refuse only when a call would be made;
 * - a refused instance gets no operations; its refusals list every problem
 *   found. Other instances are planned independently.
 *
 * `facts.groups` must hold every group joined (absent = does not exist); the
 * type-mix rule also counts the instance's current groups found there.
 * `policy`: what the operator forbids besides (protected groups).
 */
export function planMembership(
  facts: Facts,
  changes: readonly Change[],
  policy: Policy = NO_POLICY,
): InstancePlan[] {
  const byInstance = new Map<string, Change[]>();
  // An instance and its primary ENI are one subject (see subjects.ts).
  for (const c of toSubjectChanges(facts, changes)) {
    const list = byInstance.get(c.instanceId);
    if (list) list.push(c);
    else byInstance.set(c.instanceId, [c]);
  }
  return [...byInstance].map(([instanceId, own]) => planInstance(facts, instanceId, own, policy));
}

function planInstance(
  facts: Facts,
  instanceId: string,
  changes: readonly Change[],
  policy: Policy,
): InstancePlan {
  const subject = subjectOf(facts, instanceId, changes, policy);
  const malformed = checkIdSyntax(subject);
  if (malformed.length > 0) return { instanceId, operations: [], refusals: malformed, notes: [] };
  const refusals: Refusal[] = subject.instance
    ? INSTANCE_RULES.flatMap((rule) => rule(subject))
    : checkInstanceExists(subject, isMissingNetworkInterface(facts, instanceId));
  const operations: Operation[] =
    refusals.length > 0
      ? []
      : [
          ...subject.joins.map((g): Operation => ({ action: "join", instanceId, securityGroupId: g })),
          ...subject.leaves.map((g): Operation => ({ action: "leave", instanceId, securityGroupId: g })),
        ];
  return { instanceId, operations, refusals, notes: notesOf(subject) };
}

/** The changes that need no call, and why. */
function notesOf(s: RuleSubject): Note[] {
  const { instanceId, instance } = s;
  const note = (kind: Note["kind"], securityGroupId: string, message: string): Note => ({
    kind,
    instanceId,
    securityGroupId,
    message,
  });
  if (!instance) {
    return leaveTargetsOf(s.changes).map((g) =>
      note("instance-gone", g, `${instanceId} no longer exists, so it is in no group: nothing to leave.`),
    );
  }
  const adopted = joinTargetsOf(s.changes).filter((g) => instance.securityGroupIds.includes(g));
  const idle = leaveTargetsOf(s.changes).filter((g) => !s.leaves.includes(g));
  return [
    ...adopted.map((g) => note("already-member", g, `${instanceId} is already in ${g}.`)),
    ...idle.map((g) =>
      s.groups.has(g)
        ? note("not-a-member", g, `${instanceId} is not in ${g}: nothing to leave.`)
        : note("group-gone", g, `${g} no longer exists, so ${instanceId} is not in it: nothing to leave.`),
    ),
  ];
}
