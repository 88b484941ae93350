import { exploreOrders, type OrderOutcomes } from "./apply-orders";
import {
  applyWork,
  callsAt,
  changesOf,
  isKnown,
  isUnknownGroup,
  known,
  type ApplyStep,
  type Claim,
  type InstanceWork,
} from "./apply-steps";
import {
  isAlicloudKind,
  isAttachmentKind,
  isSetKind,
  namesNetworkInterface,
  type AlicloudKind,
  type Finding,
  type PlanCode,
  type PlanJudgement,
  type ResourceChange,
  type ResourceKind,
} from "./resource-change";
import {
  checkGroupExists,
  checkGroupTypeMix,
  checkIdSyntax,
  checkInstanceExists,
  checkInstanceStatus,
  checkProtectedGroup,
  checkNetworkInterfaceStatus,
  checkSameVpc,
  checkSecurityLock,
  protectedDetail,
  protectedSentence,
  subjectOf,
  type Rule,
} from "./rules";
import {
  isMissingNetworkInterface,
  isNetworkInterfaceSubject,
  memberFacts,
  namesOtherKind,
  toSubjectResourceChanges,
} from "./subjects";
import { listOf, sentenceList, unique } from "./rules/subject";
import type { Change, Facts, InstanceFacts, Refusal } from "./types";

/** What the caller knows beyond the facts. */
export interface JudgeOptions {
  /**
   * Per instance, the groups this apply has already taken (the provider's
   * apply process, where Terraform plans creates and updates once more right
   * before applying them): the standing rule keeps them.
   */
  readonly taken?: ReadonlyMap<string, readonly string[]>;
  /**
   * Groups no change may take away from an instance that has them (the
   * provider's `protected_security_group_ids`, check-plan's and drift's
   * `--protected-security-group-id`): a leave of one in any order is refused
   * (`ProtectedSecurityGroup`).
   */
  readonly protectedSecurityGroupIds?: readonly string[];
}

/**
 * Judges the changes of one plan together, as Terraform may apply them in any
 * order it picks. Pure: the same facts and changes give the same answer,
 * whatever order the changes are given in.
 *
 * Per instance the changes touch:
 * - IDs are checked first, then the instance's existence, status and lock and
 *   each joined group's existence, VPC and type (the per-call rules);
 * - what the resources declare once applied must not overlap: one pair in two
 *   attachments (`DuplicateAttachment`), two authoritative sets
 *   (`DuplicateInstanceSecurityGroups`), an attachment beside an authoritative
 *   set (`MixedMembershipResources`) or beside an `alicloud_instance` that
 *   manages the instance's groups (`AlicloudInstanceConflict`) or an
 *   `alicloud_ecs_network_interface` that manages the ENI's
 *   (`AlicloudNetworkInterfaceConflict`);
 * - then every order of the steps is explored (see `exploreOrders`): an order
 *   that ECS would refuse half-way (the last group, the group limit) is an
 *   error, and so is one that ends with a declared membership missing, or
 *   one that leaves a protected group (`ProtectedSecurityGroup`); a
 *   group handed from one resource to another that some order leaves and
 *   joins again is a warning (`MembershipHandOff`); an authoritative set that
 *   will leave groups it does not list is a warning (`UnlistedSecurityGroups`).
 *
 * `facts` must describe every instance named and every group joined (absent
 * from the maps: does not exist). Changes with values unknown until apply are
 * returned in `unknown` and judged at apply time.
 */
export function judgePlan(
  facts: Facts,
  changes: readonly ResourceChange[],
  options: JudgeOptions = {},
): PlanJudgement {
  // A new object naming the other kind's ID is refused (not found) and judged as holding nothing.
  const misnamed = changes.filter(
    (c) => c.after?.instanceId != null && namesOtherKind(facts, c.kind, c.after.instanceId),
  );
  const judged = changes.flatMap((c) =>
    !misnamed.includes(c) ? [c] : c.before ? [{ ...c, after: null, replacement: undefined }] : [],
  );
  // Steps in a stable order, so that the answer never depends on the order the changes came in.
  // An instance and its primary ENI are one subject (see subjects.ts).
  const sorted = toSubjectResourceChanges(facts, judged).sort((a, b) => compare(a.resource, b.resource));
  const work = [...applyWork(sorted).values()].sort((a, b) => compare(a.instanceId, b.instanceId));
  const protectedGroupIds = new Set(options.protectedSecurityGroupIds ?? []);
  const findings = work.flatMap((w) =>
    judgeInstance(facts, w, options.taken?.get(w.instanceId) ?? [], protectedGroupIds),
  );
  return {
    findings: [
      ...misnamed.flatMap((c) => notFound(facts, c)),
      ...findings,
      ...unknownTakers(facts, sorted, work, findings),
      ...unknownGovernors(sorted, work),
    ].map((f) => withNetworkInterface(facts, changes, f)),
    unknown: changes.filter((c) => !isKnown(c)),
  };
}

/**
 * The finding with the ENI it is about: its subject when that is an ENI, or
 * the primary ENI through which a change named its instance.
 */
function withNetworkInterface(facts: Facts, changes: readonly ResourceChange[], f: Finding): Finding {
  if (isNetworkInterfaceSubject(facts, f.instanceId)) return { ...f, networkInterfaceId: f.instanceId };
  const named = changes
    .filter((c) => namesNetworkInterface(c.kind) && f.resources.includes(c.resource))
    .flatMap((c) => [c.before?.instanceId, c.after?.instanceId])
    .find((id): id is string => {
      const eni = id ? facts.networkInterfaces?.get(id) : undefined;
      return eni !== undefined && eni !== null && eni.instanceId === f.instanceId;
    });
  return named ? { ...f, networkInterfaceId: named } : f;
}

/**
 * The instances, ENIs and groups `judgePlan` needs facts about. Describe the
 * ENIs first: the instances they are attached to are needed too.
 */
export function factsNeeded(changes: readonly ResourceChange[]): {
  instanceIds: string[];
  networkInterfaceIds: string[];
  securityGroupIds: string[];
} {
  const work = [...applyWork(changes).values()];
  const named = (eni: boolean) =>
    new Set(
      changes
        .filter((c) => namesNetworkInterface(c.kind) === eni)
        .flatMap((c) => [c.before?.instanceId, c.after?.instanceId])
        .filter((id): id is string => typeof id === "string"),
    );
  const eniIds = named(true);
  // An ID named by both kinds (one of them mistaken) is described as both.
  const instanceNamed = named(false);
  return {
    instanceIds: work.map((w) => w.instanceId).filter((id) => !eniIds.has(id) || instanceNamed.has(id)),
    networkInterfaceIds: [...eniIds],
    securityGroupIds: unique(work.flatMap((w) => w.steps.flatMap((s) => s.joins))).filter(
      (g) => !isUnknownGroup(g),
    ),
  };
}

/** The joins of a change whose new object names nothing of its kind, refused as not found. */
function notFound(facts: Facts, c: ResourceChange): Finding[] {
  const id = c.after!.instanceId!;
  const joins = (c.after!.securityGroupIds ?? []).map((g): Change => ({
    kind: "join",
    instanceId: id,
    securityGroupId: g,
  }));
  // Judged on facts without the other kind's object of that ID.
  const none = subjectOf({ instances: new Map(), groups: facts.groups }, id, joins);
  return checkInstanceExists(none, namesNetworkInterface(c.kind)).map((r) => fromRefusal(r, [c]));
}

/**
 * The per-call rules judged on the whole plan (the order-dependent ones are
 * judged by exploring orders). The group-type rule judges joins beside the
 * groups the subject is in; a step that replaces the whole set in one call
 * (atomic) is judged on its new set instead, by `exploreOrders`.
 */
const CALL_RULES: readonly Rule[] = [
  checkInstanceStatus,
  checkNetworkInterfaceStatus,
  checkSecurityLock,
  checkGroupExists,
  checkSameVpc,
];

function judgeInstance(
  facts: Facts,
  w: InstanceWork,
  taken: readonly string[],
  protectedGroupIds: ReadonlySet<string>,
): Finding[] {
  const everyone: readonly Involved[] = w.steps.length > 0 ? w.steps : w.claims;
  const now = memberFacts(facts, w.instanceId)?.securityGroupIds ?? [];
  const subject = subjectOf(facts, w.instanceId, callsOf(w.instanceId, w.steps, now, taken), {
    protectedSecurityGroupIds: [...protectedGroupIds],
  });
  const malformed = checkIdSyntax(subject);
  if (malformed.length > 0) return malformed.map((r) => fromRefusal(r, everyone));
  if (!subject.instance) {
    const eni = isMissingNetworkInterface(facts, w.instanceId);
    return checkInstanceExists(subject, eni).map((r) => fromRefusal(r, everyone));
  }
  const instance = subject.instance;
  const structural = overlaps(w, taken);
  const stepwise = w.steps.filter((s) => !s.atomic);
  const typed =
    stepwise.length === w.steps.length
      ? subject
      : subjectOf(facts, w.instanceId, callsOf(w.instanceId, stepwise, now, taken));
  const perCall = [...CALL_RULES.flatMap((rule) => rule(subject)), ...checkGroupTypeMix(typed)].map((r) =>
    fromRefusal(r, everyone),
  );
  if (structural.length > 0 || perCall.length > 0) return [...perCall, ...structural];
  if (w.steps.length === 0) return [];
  const outcomes = exploreOrders(instance.securityGroupIds, w.steps, {
    maxGroups: instance.maxSecurityGroups,
    groups: facts.groups,
    taken,
    protectedGroupIds,
  });
  // Orders not all explored: every leave a step may make of a protected group the instance has is refused.
  const unexplored = outcomes.truncated
    ? checkProtectedGroup(subject).map((r) =>
        fromRefusal(
          r,
          w.steps.filter((s) => s.leaves.includes(r.securityGroupId!) || s.reconcileTo !== undefined),
        ),
      )
    : [];
  if (unexplored.length > 0) return unexplored;
  return [
    ...orderFindings(instance, w, outcomes, isNetworkInterfaceSubject(facts, w.instanceId)),
    ...unlisted(instance, w.steps, protectedGroupIds),
  ];
}

/**
 * Every call the steps may make, as the per-call rules see them (an
 * authoritative set against the groups now; groups known only at apply are
 * left to the apply-time check).
 */
function callsOf(
  instanceId: string,
  steps: readonly ApplyStep[],
  now: readonly string[],
  taken: readonly string[],
): Change[] {
  const held = new Set(taken);
  return steps
    .flatMap((s) => changesOf(instanceId, callsAt(s, now, held)))
    .filter((c) => !isUnknownGroup(groupOf(c)))
    .sort((a, b) => compare(`${a.kind}|${groupOf(a)}`, `${b.kind}|${groupOf(b)}`));
}

function groupOf(c: Change): string {
  return c.kind === "move" ? c.to : c.securityGroupId;
}

/** Declarations that cannot both hold: the same pair twice, two sets, or an attachment beside a set. */
function overlaps(w: InstanceWork, taken: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const { instanceId, claims, governors } = w;
  // Kinds are judged on every resource that governs the instance, even one whose groups are known only at apply.
  const attachments = governors.filter((c) => isAttachmentKind(c.kind));
  const sets = governors.filter((c) => isSetKind(c.kind));
  const attached = claims.filter((c) => isAttachmentKind(c.kind));
  for (const g of unique(attached.flatMap((c) => c.securityGroupIds)).sort()) {
    const holders = attached.filter((c) => c.securityGroupIds.includes(g));
    if (holders.length < 2) continue;
    findings.push(
      finding(
        "error",
        "DuplicateAttachment",
        instanceId,
        g,
        holders,
        `${instanceId}:${g} is declared by ${holders.length} alisg_attachment resources (${labels(holders)})`,
        `Keep one of them. Two resources for one pair fight: removing one would leave the group the other still declares. ${FORGET_FIX}`,
      ),
    );
  }
  if (sets.length > 1) {
    findings.push(
      finding(
        "error",
        "DuplicateInstanceSecurityGroups",
        instanceId,
        undefined,
        sets,
        `${instanceId} is governed by ${sets.length} alisg_instance_security_groups resources (${labels(sets)})`,
        "An instance's authoritative set can be declared once: merge the lists into one resource and remove the others (removing an alisg_instance_security_groups forgets it without API calls).",
      ),
    );
  }
  if (sets.length > 0 && attachments.length > 0) {
    findings.push(
      finding(
        "error",
        "MixedMembershipResources",
        instanceId,
        undefined,
        [...sets, ...attachments],
        `${instanceId} is governed by both an alisg_instance_security_groups (${labels(sets)}) and alisg_attachment resources (${labels(attachments)})`,
        "The authoritative set would leave the attachments' groups it does not list, and the attachments would join them again on every apply. List the groups in the set and remove the attachments, or remove the set.",
      ),
    );
  }
  for (const kind of ALICLOUD_KINDS) {
    const { code, attribute, subject, oneCall } = ALICLOUD[kind];
    const alicloud = governors.filter((c) => c.kind === kind);
    if (alicloud.length > 1) {
      findings.push(
        finding(
          "error",
          code,
          instanceId,
          undefined,
          alicloud,
          `${instanceId}'s ${attribute} are managed by ${alicloud.length} ${kind} resources (${labels(alicloud)})`,
          `Each takes its ${attribute} as the ${subject}'s complete list, so they would undo each other on every apply. Keep the ${subject} in one resource (remove the other from the state with \`terraform state rm\`).`,
        ),
      );
    }
    if (alicloud.length > 0 && sets.length + attachments.length > 0) {
      const ours = [...sets, ...attachments];
      findings.push(
        finding(
          "error",
          code,
          instanceId,
          undefined,
          [...alicloud, ...ours],
          `${instanceId}'s ${attribute} are managed by ${labels(alicloud)} and by alisg (${labels(ours)})`,
          `The alicloud provider treats ${attribute} as the complete list${oneCall}, so the two would undo each other on every apply. Remove the groups from one side, or add lifecycle { ignore_changes = [${attribute}] } to the ${subject}.`,
        ),
      );
    }
  }
  return findings.length > 0 ? findings : heldByOthers(w, taken);
}

/** How findings name an alicloud resource's list of groups, and the code of a fight over it. */
const ALICLOUD: Record<
  AlicloudKind,
  { code: PlanCode; attribute: string; subject: string; oneCall: string }
> = {
  alicloud_instance: {
    code: "AlicloudInstanceConflict",
    attribute: "security_groups",
    subject: "instance",
    oneCall: "",
  },
  alicloud_ecs_network_interface: {
    code: "AlicloudNetworkInterfaceConflict",
    attribute: "security_group_ids",
    subject: "network interface",
    oneCall: " (one ModifyNetworkInterfaceAttribute call sets the whole list)",
  },
};

const ALICLOUD_KINDS = Object.keys(ALICLOUD) as AlicloudKind[];

const FORGET_FIX =
  "To stop managing it from one resource without leaving the group, remove that resource from the state instead of destroying it: a `removed` block with `lifecycle { destroy = false }`, or `terraform state rm` (or set retain_on_delete = true on an attachment and apply before removing it).";

/**
 * Leaves of a group that another resource declares and does not take in
 * this plan (it is not being created, moved or replaced onto it): the leave
 * would make that declaration untrue in every order, e.g. two resources that
 * hold one pair in the state after a `-target` apply. A plan cannot fix
 * that; forgetting one of them can.
 */
function heldByOthers(w: InstanceWork, taken: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const takers = new Set(w.steps.flatMap((s) => s.takes.map((g) => `${s.resource}|${g}`)));
  for (const step of w.steps) {
    if (!step.byAlisg) continue;
    // A group this apply already took is never left (the standing rule).
    for (const g of step.leaves.filter((x) => !taken.includes(x))) {
      const holders = w.claims.filter(
        (c) =>
          c.resource !== step.resource && c.securityGroupIds.includes(g) && !takers.has(`${c.resource}|${g}`),
      );
      if (holders.length === 0) continue;
      const code = conflictCode([step, ...holders]);
      // The leaver stays in the configuration when it moves on (it declares other groups after the plan).
      const stays = w.claims.some((c) => c.resource === step.resource) || step.half === "delete";
      findings.push(
        finding(
          "error",
          code,
          w.instanceId,
          g,
          [step, ...holders],
          `${step.label} would make ${w.instanceId} leave ${g}, which ${labels(holders)} still declares`,
          `Two resources manage ${w.instanceId}:${g} in the state (for example after a -target apply, or an apply that failed half-way, handed it from one to the other). ${stays ? STATE_RM_FIX : FORGET_FIX}`,
        ),
      );
    }
  }
  return findings;
}

const STATE_RM_FIX =
  "The resource that leaves it moves on to another group, so it cannot simply be forgotten: remove it from the state (`terraform state rm <address>`) and apply again. It is created anew on its new group, and the shared one is not left.";

/** The code of two resources fighting over one instance's groups, by their kinds. */
function conflictCode(who: readonly { kind: string }[]): string {
  const alicloud = ALICLOUD_KINDS.find((k) => who.some((x) => x.kind === k));
  if (alicloud) return ALICLOUD[alicloud].code;
  return who.every((x) => isAttachmentKind(x.kind as ResourceKind))
    ? "DuplicateAttachment"
    : "MixedMembershipResources";
}

const HAND_OFF_FIX =
  "If it is the same membership under a new name (a renamed resource or construct, a count index shift), tell Terraform so and no API call is made: add a moved block from the old address to the new one (cdktf: moveTo / moveFromId), and prefer for_each to count so that removing one element does not shift the others. To hand a group from one resource to another, add the new one in one apply and remove the old one in the next.";

const UNKNOWN_FIX =
  "Terraform applies the removal before or after the new object, in an order it picks, and the provider cannot tell which object will take the group until apply. Make the value known at plan time (a literal, or a value of a resource that is not replaced in this plan), or add the new resource in one apply and remove the old one in the next; for a replacement, create_before_destroy = true adds the new object first.";

/** Findings from the explored orders: refusals half-way, declarations left untrue, lapses of handed-off groups. */
/** `eni`: the subject is an ENI (not an instance, nor a primary ENI: that is its instance). */
function orderFindings(instance: InstanceFacts, w: InstanceWork, o: OrderOutcomes, eni: boolean): Finding[] {
  const { instanceId } = instance;
  const findings: Finding[] = [];
  const claimants = (g: string, not?: string): Claim[] =>
    w.claims.filter((c) => c.resource !== not && c.securityGroupIds.includes(g));

  const lastGroup = o.failures.filter((f) => f.code === "InstanceLastSecurityGroup");
  const handedOff = lastGroup.filter(
    (f) => claimants(f.call.securityGroupId, w.steps[f.step].resource).length > 0,
  );
  for (const g of unique(handedOff.map((f) => f.call.securityGroupId)).sort()) {
    const leavers = unique(handedOff.filter((f) => f.call.securityGroupId === g).map((f) => w.steps[f.step]));
    const takers = claimants(g).filter((c) => !leavers.some((l) => l.resource === c.resource));
    findings.push(
      finding(
        "error",
        "InstanceLastSecurityGroup",
        instanceId,
        g,
        [...leavers, ...takers],
        `${g} of ${instanceId} is handed from ${labels(leavers)} to ${labels(takers)} (a rename, a count index shift or a replacement), and if Terraform removes it before adding it again, ${instanceId} would be left with no security group`,
        `ECS refuses to remove an instance's last security group, so the apply could fail half-way. ${HAND_OFF_FIX}`,
      ),
    );
  }
  if (lastGroup.length > handedOff.length) {
    const leaving = unique(
      w.steps.flatMap((s) => s.leaves).filter((g) => instance.securityGroupIds.includes(g)),
    ).sort();
    const leavers = w.steps.filter((s) => s.leaves.some((g) => leaving.includes(g)));
    const unknownNew = leavers.some((s) => s.replacedByUnknown);
    findings.push(
      finding(
        "error",
        "InstanceLastSecurityGroup",
        instanceId,
        leaving[leaving.length - 1],
        leavers,
        `removing ${listOf(leaving)} from ${instanceId} would leave it with no security group${unknownNew ? ` (${labels(leavers.filter((s) => s.replacedByUnknown))} is replaced by an object whose instance or group is known only at apply)` : ""}`,
        leavers.some((s) => s.kind === "alicloud_ecs_network_interface")
          ? `A network interface must stay in at least one security group, and the alicloud provider sets ${instanceId}'s security_group_ids in one call (ModifyNetworkInterfaceAttribute), which ECS refuses when this plan leaves none. Keep at least one group listed in security_group_ids of ${labels(leavers.filter((s) => s.kind === "alicloud_ecs_network_interface"))}, and remove the others in a later apply.`
          : leavers.some((s) => s.kind === "alicloud_instance")
            ? `An ECS instance must stay in at least one security group, and the alicloud provider leaves the removed groups before it joins the new ones (one call each), so ECS refuses the last leave and the provider ignores the refusal. Manage ${instanceId}'s groups with alisg instead: an alisg_attachment whose security_group_id changes moves in place (join the new group, then leave the old one); add lifecycle { ignore_changes = [security_groups] } to the instance.`
            : unknownNew
              ? `An ECS instance must stay in at least one security group, and Terraform may delete the old object before the new one exists (or the new one may be on another instance). Make instance_id and security_group_id known at plan time, or set retain_on_delete = true on the attachment so that its old object is forgotten instead of left.`
              : `An ECS instance must stay in at least one security group${leaving.length > 1 ? `, and this plan removes all of ${instanceId}'s groups together` : ""}; Terraform may apply these removals before anything that adds a group. Keep another group attached first (add an attachment for another group and apply it before removing this one), or set retain_on_delete = true on an alisg_attachment to forget it without leaving the group (an alisg_instance_security_groups must list at least one group).`,
      ),
    );
  }
  findings.push(...protectedLeaves(instanceId, w, o));
  const limit = o.failures.filter((f) => f.code === "InstanceSecurityGroupLimitExceeded");
  if (limit.length > 0) {
    const max = instance.maxSecurityGroups;
    const joining = unique(limit.map((f) => f.call.securityGroupId)).sort();
    const joiners = unique(limit.map((f) => w.steps[f.step]));
    findings.push(
      finding(
        "error",
        "InstanceSecurityGroupLimitExceeded",
        instanceId,
        joining[0],
        joiners,
        `joining ${listOf(joining)} could put ${instanceId} in ${max + 1} security groups, over its limit of ${max}`,
        `${instanceId} is in ${instance.securityGroupIds.length} of ${max} groups (${listOf([...instance.securityGroupIds].sort()) || "none"}), and Terraform may apply the joins before any removal. Remove a group in an earlier apply, or raise the instance's security group quota (max_security_groups_per_instance).`,
      ),
    );
  }
  const mixed = o.failures.filter((f) => f.code === "InvalidOperation.MultiGroupType");
  if (mixed.length > 0) {
    const joining = unique(mixed.map((f) => f.call.securityGroupId)).sort();
    const joiners = unique(mixed.map((f) => w.steps[f.step]));
    const atOnce = joiners.filter((s) => s.atomic);
    findings.push(
      finding(
        "error",
        "InvalidOperation.MultiGroupType",
        instanceId,
        joining[0],
        joiners,
        `joining ${listOf(joining)} could put ${instanceId} in normal and enterprise security groups at once`,
        atOnce.length > 0
          ? `A network interface's groups must all be of one type. List groups of one type only in security_group_ids of ${labels(atOnce)} (one call replaces the whole list, so switching every group at once is fine).`
          : eni
            ? `An ENI's groups must all be of one type, and Terraform may apply the joins before the removals of the other type. Switch the ENI's groups in separate applies, or replace its whole group list at once outside alisg (ModifyNetworkInterfaceAttribute), then import the attachments.`
            : `An instance's groups must all be of one type, and Terraform may apply the joins before the removals of the other type. Switch the instance's groups in separate applies, or replace its whole group list at once outside alisg (ModifyInstanceAttribute), then import the attachments.`,
      ),
    );
  }
  if (findings.length > 0) return findings;

  findings.push(...untrueEnds(instanceId, w, o));
  if (findings.length > 0) return findings;

  for (const [g, stepIndexes] of [...o.lapses].sort(([a], [b]) => compare(a, b))) {
    const leavers = [...stepIndexes].map((i) => w.steps[i]);
    const takers = w.claims.filter(
      (c) => c.securityGroupIds.includes(g) && !leavers.some((l) => l.resource === c.resource),
    );
    if (takers.length === 0) continue;
    findings.push(
      finding(
        "warning",
        "MembershipHandOff",
        instanceId,
        g,
        [...leavers, ...takers],
        `${g} of ${instanceId} is handed from ${labels(leavers)} to ${labels(takers)} (a rename, a count index shift or a replacement); if Terraform removes it before adding it again, ${instanceId} is out of ${g} for a moment`,
        `alisg never leaves a group that another change of the same apply has already joined, but Terraform may apply the removal first. ${HAND_OFF_FIX}`,
      ),
    );
  }
  if (o.truncated) {
    findings.push(
      finding(
        "warning",
        "TooManyChangesToCheck",
        instanceId,
        undefined,
        w.steps,
        // One summary per instance (each is reported once), whichever call of the walk finds it first.
        `${instanceId} has too many changes in this plan to check every order Terraform may apply them in`,
        `The plan makes ${w.steps.length} changes to ${instanceId}, more than alisg explores every order of. Each call is still checked against ECS right before it is made. Split the change into several applies to have it checked as a whole.`,
      ),
    );
  }
  return findings;
}

/** Leaves of protected groups in some order, one finding per group, with the fix the leaving resources need. */
function protectedLeaves(instanceId: string, w: InstanceWork, o: OrderOutcomes): Finding[] {
  const refused = o.failures.filter((f) => f.code === "ProtectedSecurityGroup");
  return unique(refused.map((f) => f.call.securityGroupId))
    .sort()
    .map((g) => {
      const leavers = unique(refused.filter((f) => f.call.securityGroupId === g).map((f) => w.steps[f.step]));
      const takers = w.claims.filter(
        (c) => c.securityGroupIds.includes(g) && !leavers.some((l) => l.resource === c.resource),
      );
      const handOff =
        takers.length > 0 ? `, in an order Terraform may pick, before ${labels(takers)} adds it again` : "";
      return finding(
        "error",
        "ProtectedSecurityGroup",
        instanceId,
        g,
        [...leavers, ...takers],
        `${protectedSentence(g, instanceId, labels(leavers))}${handOff}`,
        protectedDetail(g, instanceId, protectedFix(g, leavers, takers.length > 0)),
      );
    });
}

/** How to keep a protected group, for the kinds of resource that would remove it. */
function protectedFix(g: string, leavers: readonly ApplyStep[], handOff: boolean): string {
  if (handOff) return HAND_OFF_FIX;
  const fixes = unique(
    leavers.map((s) =>
      isAlicloudKind(s.kind)
        ? `keep ${g} in ${ALICLOUD[s.kind].attribute} of ${s.label}`
        : s.reconcileTo
          ? `list ${g} in security_group_ids of ${s.label}`
          : s.joins.length > 0 && s.half === undefined
            ? `leave ${s.label} on ${g} and add another alisg_attachment for the new group`
            : `keep ${s.label}, or set retain_on_delete = true on it to forget it without leaving the group`,
    ),
  );
  const text = fixes.join("; ");
  return `To keep it: ${text}.`;
}

/** Orders that end with a declared membership missing, or an authoritative set's list untrue. */
function untrueEnds(instanceId: string, w: InstanceWork, o: OrderOutcomes): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const final of o.finals) {
    for (const claim of w.claims) {
      const missing = claim.securityGroupIds.filter((g) => !final.includes(g));
      // An authoritative declaration is the complete list: a group joined by another resource makes it untrue too.
      const extra = claim.authoritative ? final.filter((g) => !claim.securityGroupIds.includes(g)) : [];
      for (const g of [...missing, ...extra]) {
        const joining = extra.includes(g);
        const others = w.steps.filter(
          (s) =>
            s.resource !== claim.resource &&
            (joining
              ? s.joins.includes(g)
              : s.leaves.includes(g) || (s.reconcileTo !== undefined && !s.reconcileTo.includes(g))),
        );
        const key = `${claim.resource}|${g}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push(
          finding(
            "error",
            conflictCode([claim, ...others]),
            instanceId,
            g,
            [claim, ...others],
            joining
              ? `${labels(others)} would make ${instanceId} join ${g}, which ${claim.label} does not list`
              : `${labels(others)} would make ${instanceId} leave ${g}, which ${claim.label} still declares`,
            `Two resources manage ${instanceId}:${g}. ${FORGET_FIX}`,
          ),
        );
      }
    }
  }
  return findings;
}

/**
 * Authoritative sets that will leave groups the instance has now but the set
 * does not list (protected groups are refused instead, never left).
 */
function unlisted(
  instance: InstanceFacts,
  steps: readonly ApplyStep[],
  protectedGroupIds: ReadonlySet<string>,
): Finding[] {
  return steps.flatMap((s) => {
    // alisg's authoritative sets only: the alicloud provider's own list is judged by the overlaps.
    if (!s.reconcileTo || !s.byAlisg) return [];
    const leaving = instance.securityGroupIds
      .filter((g) => !s.reconcileTo!.includes(g) && !protectedGroupIds.has(g))
      .sort();
    if (leaving.length === 0) return [];
    return [
      finding(
        "warning",
        "UnlistedSecurityGroups",
        instance.instanceId,
        leaving[0],
        [s],
        `applying ${s.label} will make ${instance.instanceId} leave ${listOf(leaving)}, which it does not list`,
        `alisg_instance_security_groups is authoritative: ${instance.instanceId} ends in exactly ${listOf([...s.reconcileTo].sort())}. Add ${leaving.length > 1 ? "them" : "it"} to security_group_ids to keep ${leaving.length > 1 ? "them" : "it"}.`,
      ),
    ];
  });
}

/**
 * Hand-offs the plan cannot see in full: a group left by one change that a
 * change whose instance or group is known only at apply may take again
 * (including the new object of a replacement whose instance is unknown).
 * Terraform may apply the leave first, so the instance may be out of the
 * group for a moment: a warning, unless the same group already has a finding.
 */
function unknownTakers(
  facts: Facts,
  changes: readonly ResourceChange[],
  work: readonly InstanceWork[],
  already: readonly Finding[],
): Finding[] {
  const findings: Finding[] = [];
  const open = changes.filter((c) => c.after !== null && known(c.after) === undefined);
  if (open.length === 0) return findings;
  const reported = new Set(already.map((f) => `${f.instanceId}|${f.securityGroupId ?? ""}`));
  for (const w of work) {
    const now = memberFacts(facts, w.instanceId)?.securityGroupIds ?? [];
    for (const step of w.steps) {
      if (!step.byAlisg) continue;
      for (const g of step.leaves.filter((x) => now.includes(x))) {
        const takers = open.filter(
          (c) =>
            // An attachment moving to an unknown group takes nothing back; a replaced one may.
            (c.resource !== step.resource || step.half === "delete") &&
            (c.after!.instanceId === null || c.after!.instanceId === w.instanceId) &&
            (c.after!.securityGroupIds === null || c.after!.securityGroupIds.includes(g)),
        );
        const key = `${w.instanceId}|${g}`;
        if (takers.length === 0 || reported.has(key)) continue;
        reported.add(key);
        findings.push(
          finding(
            "warning",
            "MembershipHandOff",
            w.instanceId,
            g,
            [step, ...takers],
            `${g} of ${w.instanceId} is given up by ${step.label} and may be taken again by ${labels(takers)}, whose instance or group is known only at apply; if so and Terraform removes it first, ${w.instanceId} is out of ${g} for a moment`,
            UNKNOWN_FIX,
          ),
        );
      }
    }
  }
  return findings;
}

/**
 * An alisg resource whose instance (or ENI) is known only at apply, beside an
 * `alicloud_instance` or `alicloud_ecs_network_interface` that manages a
 * subject's groups (check-plan's input): if the alisg resource lands on that
 * subject, the two fight. A warning: the subject is not known yet. An
 * instance resource can land only on an instance, an ENI resource only on an
 * ENI (or an instance's primary ENI).
 */
function unknownGovernors(changes: readonly ResourceChange[], work: readonly InstanceWork[]): Finding[] {
  const floating = changes.filter(
    (c) => !isAlicloudKind(c.kind) && c.after !== null && c.after.instanceId === null,
  );
  if (floating.length === 0) return [];
  return work.flatMap((w) =>
    ALICLOUD_KINDS.flatMap((kind) => {
      const { code, attribute, subject } = ALICLOUD[kind];
      const alicloud = w.claims.filter((c) => c.kind === kind);
      const landing =
        kind === "alicloud_instance" ? floating : floating.filter((c) => namesNetworkInterface(c.kind));
      if (alicloud.length === 0 || landing.length === 0) return [];
      return [
        finding(
          "warning",
          code,
          w.instanceId,
          undefined,
          [...alicloud, ...landing],
          `${w.instanceId}'s ${attribute} are managed by ${labels(alicloud)}, and ${labels(landing)}, whose ${subject} is known only at apply, may land on it`,
          `If it does, the alicloud provider treats ${attribute} as the complete list and the two undo each other on every apply. Make the ${subject} known at plan time, or add lifecycle { ignore_changes = [${attribute}] } to the ${subject}.`,
        ),
      ];
    }),
  );
}

interface Involved {
  readonly resource: string;
  readonly label: string;
}

function finding(
  severity: Finding["severity"],
  code: string,
  instanceId: string,
  securityGroupId: string | undefined,
  who: readonly Involved[],
  sentence: string,
  detail: string,
): Finding {
  const byKey = new Map(who.map((x) => [x.resource, x.label]));
  const resources = [...byKey.keys()].sort(compare);
  return {
    severity,
    code,
    resources,
    labels: resources.map((r) => byKey.get(r)!),
    instanceId,
    ...(securityGroupId === undefined ? {} : { securityGroupId }),
    summary: `${code}: ${sentence}`,
    detail,
  };
}

function fromRefusal(r: Refusal, who: readonly Involved[]): Finding {
  return {
    ...finding("error", r.code, r.instanceId, r.securityGroupId, who, "", r.detail),
    summary: r.summary,
  };
}

/** Labels of distinct resources, sorted, joined for a sentence. */
function labels(who: readonly Involved[]): string {
  return sentenceList(unique(who.map((x) => x.label)).sort(compare));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
