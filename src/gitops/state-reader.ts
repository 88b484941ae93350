import { refuseEncryptedPayload } from "./encrypted-input";
import { GitopsInputError, isRecord, parseJson, requireFormatMajor1 } from "./input-error";
import { isAttachmentKind, namesNetworkInterface } from "../membership";

/** Resource types whose state `alisg drift` compares with ECS. */
export type ManagedKind =
  | "alisg_attachment"
  | "alisg_instance_security_groups"
  | "alisg_network_interface_attachment"
  | "alisg_network_interface_security_groups";

/** One membership resource object found in a Terraform state. */
export interface StateResource {
  /** The state's source: a file, `stdin`, or a working dir. */
  readonly source: string;
  readonly address: string;
  readonly kind: ManagedKind;
  /** The subject: the instance, or the ENI for the ENI kinds. */
  readonly instanceId: string;
  /** One group (attachment) or the authoritative set. */
  readonly securityGroupIds: readonly string[];
  /**
   * An attachment's `pending_security_group_ids`: groups it also holds after an
   * apply that failed half-way, which the next apply settles.
   */
  readonly pending?: readonly string[];
  /** The key of a deposed object (the old half of a create_before_destroy replacement whose delete failed). */
  readonly deposed?: string;
  /** Tainted: the next apply replaces it. */
  readonly tainted?: boolean;
}

const KINDS: readonly string[] = [
  "alisg_attachment",
  "alisg_instance_security_groups",
  "alisg_network_interface_attachment",
  "alisg_network_interface_security_groups",
];

/**
 * Reads a Terraform state in either of its two JSON forms: the output of
 * `terraform show -json` without a plan file (format_version 1.x), or the raw
 * state that `terraform state pull` prints (`"version": 4`).
 */
export function readState(text: string, source: string): StateResource[] {
  const doc = parseJson(text, source);
  if (!isRecord(doc))
    throw new GitopsInputError(`${source}: expected a JSON object holding a Terraform state`);
  // A plan with no changes has no resource_changes (OpenTofu leaves the key out), but always planned_values.
  if ("format_version" in doc && ("resource_changes" in doc || "planned_values" in doc)) {
    requireFormatMajor1(doc, source, "of a state");
    throw new GitopsInputError(
      `${source}: this is a plan, not a state: give \`terraform show -json\` without a plan file, or \`terraform state pull\``,
    );
  }
  return stateEntries(doc, source, KINDS).map((e) => fromEntry(e, source));
}

/** One managed resource instance of a state: its address, its type and its attribute values. */
export interface StateEntry {
  readonly address: string;
  readonly type: string;
  readonly values: unknown;
  /** The key of a deposed object (the old half of a create_before_destroy replacement whose delete failed). */
  readonly deposed?: string;
  /** Tainted: the next apply replaces it. */
  readonly tainted: boolean;
}

/**
 * The managed resource instances of the given types in a parsed state, in
 * either JSON form (`format_version` 1.x of `terraform show -json`, or the
 * raw `"version": 4` state), child modules included.
 */
export function stateEntries(
  doc: Record<string, unknown>,
  source: string,
  types: readonly string[],
): StateEntry[] {
  refuseEncryptedPayload(doc, source, "the output of `tofu show -json` or `tofu state pull`");
  if ("format_version" in doc) {
    requireFormatMajor1(doc, source, "of a state");
    const values = doc.values;
    if (values === undefined) return []; // an empty state
    if (!isRecord(values) || !isRecord(values.root_module)) {
      throw new GitopsInputError(`${source}: values.root_module is missing`);
    }
    return moduleEntries(values.root_module, types);
  }
  if ("version" in doc) return rawStateEntries(doc, source, types);
  throw new GitopsInputError(
    `${source}: not a Terraform state: expected \`terraform show -json\` output (format_version) or \`terraform state pull\` output (version)`,
  );
}

/**
 * The managed resources of the given types in a module of `terraform show
 * -json` (`values.root_module`, and the same shape in a plan's
 * `planned_values` and `prior_state.values`), child modules included.
 */
export function moduleEntries(module: Record<string, unknown>, types: readonly string[]): StateEntry[] {
  const out: StateEntry[] = [];
  const visit = (m: Record<string, unknown>) => {
    for (const r of Array.isArray(m.resources) ? m.resources : []) {
      if (!isRecord(r) || r.mode !== "managed" || typeof r.type !== "string" || !types.includes(r.type))
        continue;
      const address = typeof r.address === "string" ? r.address : `${r.type}.${String(r.name)}`;
      out.push({
        address,
        type: r.type,
        values: r.values,
        ...(typeof r.deposed_key === "string" ? { deposed: r.deposed_key } : {}),
        tainted: r.tainted === true,
      });
    }
    for (const child of Array.isArray(m.child_modules) ? m.child_modules : []) {
      if (isRecord(child)) visit(child);
    }
  };
  visit(module);
  return out;
}

function rawStateEntries(
  doc: Record<string, unknown>,
  source: string,
  types: readonly string[],
): StateEntry[] {
  if (doc.version !== 4) {
    throw new GitopsInputError(
      `${source}: state version ${JSON.stringify(doc.version)} is not supported: alisg reads version 4 (Terraform 0.12 and later)`,
    );
  }
  const out: StateEntry[] = [];
  for (const r of Array.isArray(doc.resources) ? doc.resources : []) {
    if (!isRecord(r) || r.mode !== "managed" || typeof r.type !== "string" || !types.includes(r.type))
      continue;
    const base = `${typeof r.module === "string" && r.module ? `${r.module}.` : ""}${r.type}.${String(r.name)}`;
    for (const instance of Array.isArray(r.instances) ? r.instances : []) {
      if (!isRecord(instance)) continue;
      const key = instance.index_key;
      const address =
        typeof key === "number"
          ? `${base}[${key}]`
          : typeof key === "string"
            ? `${base}[${JSON.stringify(key)}]`
            : base;
      out.push({
        address,
        type: r.type,
        values: instance.attributes,
        ...(typeof instance.deposed === "string" ? { deposed: instance.deposed } : {}),
        tainted: instance.status === "tainted",
      });
    }
  }
  return out;
}

function fromEntry(entry: StateEntry, source: string): StateResource {
  const item = holdingOf(entry.type as ManagedKind, entry.address, entry.values, source);
  return {
    ...item,
    ...(entry.deposed ? { deposed: entry.deposed } : {}),
    ...(entry.tainted ? { tainted: true } : {}),
  };
}

function holdingOf(kind: ManagedKind, address: string, attrs: unknown, source: string): StateResource {
  if (!isRecord(attrs)) throw new GitopsInputError(`${source}: ${address} has no attribute values`);
  const subject = namesNetworkInterface(kind) ? "network_interface_id" : "instance_id";
  const instanceId = attrs[subject];
  if (typeof instanceId !== "string") throw new GitopsInputError(`${source}: ${address} has no ${subject}`);
  if (isAttachmentKind(kind)) {
    const group = attrs.security_group_id;
    if (typeof group !== "string")
      throw new GitopsInputError(`${source}: ${address} has no security_group_id`);
    const pending = attrs.pending_security_group_ids;
    const more = Array.isArray(pending) ? pending.filter((g): g is string => typeof g === "string") : [];
    return {
      source,
      address,
      kind,
      instanceId,
      securityGroupIds: [group],
      ...(more.length > 0 ? { pending: more } : {}),
    };
  }
  const groups = attrs.security_group_ids;
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== "string")) {
    throw new GitopsInputError(`${source}: ${address} has no security_group_ids list`);
  }
  return { source, address, kind, instanceId, securityGroupIds: groups as string[] };
}
