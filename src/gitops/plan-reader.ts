import {
  isAlicloudKind,
  isAttachmentKind,
  type Holding,
  type ResourceChange,
  type ResourceKind,
} from "../membership";
import { refuseEncryptedPayload } from "./encrypted-input";
import { GitopsInputError, isRecord, parseJson, requireFormatMajor1 } from "./input-error";

/**
 * Reads the output of `terraform show -json PLANFILE` (format_version 1.x)
 * into the changes the whole-plan model judges.
 *
 * Read: every managed `alisg_attachment` and `alisg_instance_security_groups`
 * change, whatever its action (a `no-op` still declares a membership, which
 * duplicate checks need), every `alicloud_instance` update that changes
 * `security_groups` and every `alicloud_ecs_network_interface` update that
 * changes `security_group_ids` (its ENI ID is its `id`; creating, destroying
 * or replacing an instance or ENI is not a membership change). Values unknown
 * until apply (`after_unknown`) become `null`.
 */
export interface PlanFile {
  /** The file as the user named it (`stdin` for `-`). */
  readonly source: string;
  readonly terraformVersion: string | null;
  /** One change per resource instance, keyed and labelled by its Terraform address. */
  readonly changes: readonly ResourceChange[];
  /** The `provider "alisg"` blocks of the plan's configuration (root, modules and aliases). */
  readonly alisgProviders: readonly AlisgProviderBlock[];
}

/**
 * What one `provider "alisg"` block sets, as `terraform show -json` writes it
 * in `configuration.provider_config`: a literal (`constant_value`), or
 * `"expression"` when the value refers to a variable or another object and is
 * not in the plan's configuration section; absent when the block leaves it unset.
 */
export interface AlisgProviderBlock {
  /** Its key in `provider_config`: `alisg`, `alisg.west`, `module.net:alisg`. */
  readonly key: string;
  readonly maxSecurityGroupsPerInstance?: number | "expression";
  readonly protectedSecurityGroupIds?: readonly string[] | "expression";
}

const KINDS: readonly ResourceKind[] = [
  "alisg_attachment",
  "alisg_instance_security_groups",
  "alisg_network_interface_attachment",
  "alisg_network_interface_security_groups",
  "alicloud_instance",
  "alicloud_ecs_network_interface",
];

export function readPlan(text: string, source: string): PlanFile {
  const doc = parseJson(text, source);
  if (!isRecord(doc))
    throw new GitopsInputError(`${source}: expected a JSON object from \`terraform show -json\``);
  refuseEncryptedPayload(doc, source, "the output of `tofu show -json PLANFILE`");
  requireFormatMajor1(doc, source, "of a saved plan");
  if (!("resource_changes" in doc) && !("planned_values" in doc)) {
    throw new GitopsInputError(
      `${source}: not a plan (no resource_changes): give \`terraform show -json PLANFILE\` of a plan saved with \`terraform plan -out PLANFILE\``,
    );
  }
  const list = doc.resource_changes ?? [];
  if (!Array.isArray(list)) throw new GitopsInputError(`${source}: resource_changes is not a list`);
  const changes: ResourceChange[] = [];
  for (const rc of list) {
    if (!isRecord(rc)) throw new GitopsInputError(`${source}: a resource_changes entry is not an object`);
    const change = toResourceChange(rc, source);
    if (change) changes.push(change);
  }
  return {
    source,
    terraformVersion: typeof doc.terraform_version === "string" ? doc.terraform_version : null,
    changes,
    alisgProviders: alisgProviderBlocks(doc.configuration, source),
  };
}

/** The alisg provider's address under either registry host ends so (`registry.terraform.io/alisg/alisg`). */
const ALISG_PROVIDER_SUFFIX = "/alisg/alisg";

function alisgProviderBlocks(configuration: unknown, source: string): AlisgProviderBlock[] {
  const configs = isRecord(configuration) ? configuration.provider_config : undefined;
  if (!isRecord(configs)) return [];
  const blocks: AlisgProviderBlock[] = [];
  for (const [key, pc] of Object.entries(configs)) {
    if (!isRecord(pc)) continue;
    const alisg =
      typeof pc.full_name === "string" ? pc.full_name.endsWith(ALISG_PROVIDER_SUFFIX) : pc.name === "alisg";
    if (!alisg) continue;
    const expressions = isRecord(pc.expressions) ? pc.expressions : {};
    const where = `${source}: provider ${key}`;
    const limit = literal(expressions.max_security_groups_per_instance, (v) => {
      // JSON syntax may write a number as a string, which Terraform converts.
      const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
      if (typeof n === "number" && Number.isInteger(n) && n >= 1) return n;
      throw new GitopsInputError(`${where}: max_security_groups_per_instance is not a whole number >= 1`);
    });
    const protectedIds = literal(expressions.protected_security_group_ids, (v) => {
      if (Array.isArray(v) && v.every((g) => typeof g === "string")) return v as string[];
      throw new GitopsInputError(`${where}: protected_security_group_ids is not a list of strings`);
    });
    blocks.push({
      key,
      ...(limit !== undefined ? { maxSecurityGroupsPerInstance: limit } : {}),
      ...(protectedIds !== undefined ? { protectedSecurityGroupIds: protectedIds } : {}),
    });
  }
  return blocks;
}

/**
 * An attribute's expression: its literal, checked by `read`; "expression" when it has references.
 * (A JSON-syntax template such as `"${var.limit}"` has both: its `constant_value` is the template text.)
 */
function literal<T>(expression: unknown, read: (v: unknown) => T): T | "expression" | undefined {
  if (!isRecord(expression)) return undefined;
  if (Array.isArray(expression.references) && expression.references.length > 0) return "expression";
  if (!("constant_value" in expression) || expression.constant_value === null) return undefined;
  return read(expression.constant_value);
}

function toResourceChange(rc: Record<string, unknown>, source: string): ResourceChange | null {
  const type = rc.type;
  if (rc.mode !== "managed" || typeof type !== "string" || !KINDS.includes(type as ResourceKind)) return null;
  const kind = type as ResourceKind;
  const address = typeof rc.address === "string" ? rc.address : null;
  // A deposed object (the old half of a create_before_destroy replacement whose delete failed)
  // shares its address with the current object: it is a resource of its own here.
  const deposed = typeof rc.deposed === "string" ? rc.deposed : undefined;
  const change = rc.change;
  if (!address || !isRecord(change) || !Array.isArray(change.actions)) {
    throw new GitopsInputError(`${source}: a ${kind} entry has no address or change.actions`);
  }
  const actions = change.actions.join(",");
  const unknown = isRecord(change.after_unknown) ? change.after_unknown : {};
  const beforeValues = isRecord(change.before) ? change.before : null;
  const afterValues = isRecord(change.after) ? change.after : null;
  let before: Holding | null;
  let after: Holding | null;
  let replacement: ResourceChange["replacement"];
  switch (actions) {
    case "no-op":
    case "update":
      before = holding(kind, beforeValues, {});
      after = holding(kind, afterValues, unknown);
      break;
    case "create":
      before = null;
      after = holding(kind, afterValues, unknown);
      break;
    case "delete":
    case "forget": // a `removed` block with `destroy = false`: no API call
      before = holding(kind, beforeValues, {});
      after = null;
      break;
    // The last two: a replacement whose old object is forgotten (no API call), e.g. under
    // `lifecycle { destroy = false }`; Terraform writes the pair in apply order, OpenTofu as ["forget","create"].
    case "delete,create":
    case "create,delete":
    case "create,forget":
    case "forget,create":
      before = holding(kind, beforeValues, {});
      after = holding(kind, afterValues, unknown);
      replacement =
        actions.startsWith("delete") || actions.startsWith("forget") ? "delete-first" : "create-first";
      break;
    case "read":
      return null;
    default:
      throw new GitopsInputError(`${source}: ${address} has actions [${actions}], which alisg does not know`);
  }
  if (isAlicloudKind(kind) && !alicloudGroupsChange(actions, before, after)) return null;
  const retain =
    actions.split(",").includes("forget") ||
    (isAttachmentKind(kind) && beforeValues?.retain_on_delete === true);
  const key = deposed ? `${address} (deposed ${deposed})` : address;
  return {
    resource: key,
    label: key,
    kind,
    before,
    after,
    ...(retain ? { retainOnDelete: true } : {}),
    ...(replacement ? { replacement } : {}),
  };
}

/** An alicloud resource counts only when an update changes its list of groups. */
function alicloudGroupsChange(actions: string, before: Holding | null, after: Holding | null): boolean {
  if (actions !== "update" || !before || !after) return false;
  const a = before.securityGroupIds;
  const b = after.securityGroupIds;
  if (a === null || b === null) return true;
  return a.length !== b.length || a.some((g) => !b.includes(g));
}

/** What one side of a change declares; `unknown` marks values not known until apply. */
function holding(
  kind: ResourceKind,
  values: Record<string, unknown> | null,
  unknown: Record<string, unknown>,
): Holding | null {
  if (!values && Object.keys(unknown).length === 0) return null;
  const v = values ?? {};
  const str = (name: string): string | null =>
    unknown[name] === true || typeof v[name] !== "string" ? null : (v[name] as string);
  const list = (name: string): string[] | null => {
    const u = unknown[name];
    const value = v[name];
    if (u === true || (Array.isArray(u) && u.some((x) => x === true))) return null;
    if (!Array.isArray(value) || value.some((x) => typeof x !== "string")) return null;
    return value as string[];
  };
  switch (kind) {
    case "alisg_attachment":
    case "alisg_network_interface_attachment": {
      // What it holds: its group, and the groups a failed apply left pending.
      const group = str("security_group_id");
      const pending = list("pending_security_group_ids") ?? [];
      return {
        instanceId: str(kind === "alisg_attachment" ? "instance_id" : "network_interface_id"),
        securityGroupIds: group === null ? null : [...new Set([group, ...pending])],
      };
    }
    case "alisg_instance_security_groups":
      return { instanceId: str("instance_id"), securityGroupIds: list("security_group_ids") };
    case "alisg_network_interface_security_groups":
      return { instanceId: str("network_interface_id"), securityGroupIds: list("security_group_ids") };
    case "alicloud_instance":
      return { instanceId: str("id"), securityGroupIds: list("security_groups") };
    case "alicloud_ecs_network_interface":
      return { instanceId: str("id"), securityGroupIds: list("security_group_ids") };
  }
}
