import { GitopsInputError, isRecord, parseJson, requireFormatMajor1 } from "./input-error";
import { moduleEntries, stateEntries, type StateEntry } from "./state-reader";

/**
 * A membership some resource of a plan or state already manages, so that
 * `alisg adopt --exclude-state FILE` leaves it out and the two do not fight.
 */
export interface ManagedMembership {
  /** The instance, or the ENI when `networkInterface` is set. */
  readonly instanceId: string;
  /** The subject is an ENI (`alicloud_ecs_network_interface`, `alisg_network_interface_*`), never an instance. */
  readonly networkInterface?: true;
  /** undefined: every group of the instance (an authoritative set, or groups not known until apply). */
  readonly securityGroupId?: string;
  /** The resource that manages it, qualified by its file: `state.json: alicloud_instance.web`. */
  readonly manager: string;
}

/** Resource types whose memberships adopt must not take over. */
const MANAGING_TYPES = [
  "alicloud_instance",
  "alicloud_ecs_network_interface",
  "alisg_attachment",
  "alisg_instance_security_groups",
  "alisg_network_interface_attachment",
  "alisg_network_interface_security_groups",
];

/**
 * Reads `--exclude-state FILE`: a state (`terraform show -json`, or the raw
 * `terraform state pull`) or a plan (`terraform show -json PLANFILE`: its
 * prior state and its planned values both count). Collected:
 * - `alicloud_instance`: each group of its `security_groups` (all of the
 *   instance's groups when the list is not known yet);
 * - `alicloud_ecs_network_interface`: the same for its ENI (its `id`) and
 *   `security_group_ids`, marked as an ENI;
 * - `alisg_attachment`: its pair, and any group it still holds after a half-failed apply
 *   (`pending_security_group_ids`); all of the instance's groups when the group is not known yet;
 * - `alisg_instance_security_groups`: all of the instance's groups;
 * - `alisg_network_interface_attachment` and `alisg_network_interface_security_groups`:
 *   the same for their ENI (`network_interface_id`), marked as an ENI.
 * A resource whose instance ID is not known (an instance still to be
 * created) manages nothing that exists today.
 */
export function readManagedMemberships(text: string, source: string): ManagedMembership[] {
  const doc = parseJson(text, source);
  if (!isRecord(doc)) {
    throw new GitopsInputError(`${source}: expected a JSON object holding a Terraform plan or state`);
  }
  const entries = isPlan(doc) ? planEntries(doc, source) : stateEntries(doc, source, MANAGING_TYPES);
  return entries.flatMap((e) => membershipsOf(e, source));
}

function isPlan(doc: Record<string, unknown>): boolean {
  return "format_version" in doc && ("resource_changes" in doc || "planned_values" in doc);
}

function planEntries(doc: Record<string, unknown>, source: string): StateEntry[] {
  requireFormatMajor1(doc, source, "of a saved plan");
  const modules = [
    isRecord(doc.prior_state) && isRecord(doc.prior_state.values) ? doc.prior_state.values.root_module : null,
    isRecord(doc.planned_values) ? doc.planned_values.root_module : null,
  ];
  return modules.flatMap((m) => (isRecord(m) ? moduleEntries(m, MANAGING_TYPES) : []));
}

/** The attribute holding the complete list of groups of each alicloud resource type. */
const ALICLOUD_GROUPS: Readonly<Record<string, string>> = {
  alicloud_instance: "security_groups",
  alicloud_ecs_network_interface: "security_group_ids",
};

/** The types whose subject is an ENI. */
const ENI_TYPES: readonly string[] = [
  "alicloud_ecs_network_interface",
  "alisg_network_interface_attachment",
  "alisg_network_interface_security_groups",
];

function membershipsOf(entry: StateEntry, source: string): ManagedMembership[] {
  const values = isRecord(entry.values) ? entry.values : {};
  const manager = `${source}: ${entry.address}`;
  const alicloud = ALICLOUD_GROUPS[entry.type];
  const eni = ENI_TYPES.includes(entry.type);
  const instanceId = alicloud ? values.id : eni ? values.network_interface_id : values.instance_id;
  if (typeof instanceId !== "string" || instanceId === "") return [];
  const subject = eni ? { networkInterface: true as const } : {};
  const whole = [{ instanceId, ...subject, manager }];
  if (alicloud) {
    const groups = values[alicloud];
    if (!Array.isArray(groups) || groups.some((g) => typeof g !== "string")) return whole;
    return (groups as string[]).map((securityGroupId) => ({
      instanceId,
      ...subject,
      securityGroupId,
      manager,
    }));
  }
  switch (entry.type) {
    case "alisg_attachment":
    case "alisg_network_interface_attachment": {
      const group = values.security_group_id;
      if (typeof group !== "string" || group === "") return whole;
      // Groups a half-failed apply left it holding are its own too, until the next apply settles them.
      const pending = Array.isArray(values.pending_security_group_ids)
        ? values.pending_security_group_ids.filter((g): g is string => typeof g === "string" && g !== "")
        : [];
      return [...new Set([group, ...pending])].map((securityGroupId) => ({
        instanceId,
        ...subject,
        securityGroupId,
        manager,
      }));
    }
    default:
      return whole;
  }
}
