import { refuseEncryptedPayload } from "./encrypted-input";
import { GitopsInputError, isRecord, parseJson, requireFormatMajor1 } from "./input-error";

/** Resource types whose state `alisg drift` compares with ECS. */
export type ManagedKind = "alisg_attachment" | "alisg_instance_security_groups";

/** One membership resource object found in a Terraform state. */
export interface StateResource {
  /** The state's source: a file, `stdin`, or a working dir. */
  readonly source: string;
  readonly address: string;
  readonly kind: ManagedKind;
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

const KINDS: readonly string[] = ["alisg_attachment", "alisg_instance_security_groups"];

/**
 * Reads a Terraform state in either of its two JSON forms: the output of
 * `terraform show -json` without a plan file (format_version 1.x), or the raw
 * state that `terraform state pull` prints (`"version": 4`).
 */
export function readState(text: string, source: string): StateResource[] {
  const doc = parseJson(text, source);
  if (!isRecord(doc))
    throw new GitopsInputError(`${source}: expected a JSON object holding a Terraform state`);
  refuseEncryptedPayload(doc, source, "the output of `tofu show -json` or `tofu state pull`");
  if ("format_version" in doc) {
    requireFormatMajor1(doc, source, "of a state");
    // A plan with no changes has no resource_changes (OpenTofu leaves the key out), but always planned_values.
    if ("resource_changes" in doc || "planned_values" in doc) {
      throw new GitopsInputError(
        `${source}: this is a plan, not a state: give \`terraform show -json\` without a plan file, or \`terraform state pull\``,
      );
    }
    const values = doc.values;
    if (values === undefined) return []; // an empty state
    if (!isRecord(values) || !isRecord(values.root_module)) {
      throw new GitopsInputError(`${source}: values.root_module is missing`);
    }
    const out: StateResource[] = [];
    collectModule(values.root_module, source, out);
    return out;
  }
  if ("version" in doc) return readRawState(doc, source);
  throw new GitopsInputError(
    `${source}: not a Terraform state: expected \`terraform show -json\` output (format_version) or \`terraform state pull\` output (version)`,
  );
}

function collectModule(module: Record<string, unknown>, source: string, out: StateResource[]): void {
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (!isRecord(r) || r.mode !== "managed" || typeof r.type !== "string" || !KINDS.includes(r.type))
      continue;
    const address = typeof r.address === "string" ? r.address : `${r.type}.${String(r.name)}`;
    const item = fromAttributes(r.type as ManagedKind, address, r.values, source, {
      deposed: typeof r.deposed_key === "string" ? r.deposed_key : undefined,
      tainted: r.tainted === true,
    });
    if (item) out.push(item);
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) {
    if (isRecord(child)) collectModule(child, source, out);
  }
}

function readRawState(doc: Record<string, unknown>, source: string): StateResource[] {
  if (doc.version !== 4) {
    throw new GitopsInputError(
      `${source}: state version ${JSON.stringify(doc.version)} is not supported: alisg reads version 4 (Terraform 0.12 and later)`,
    );
  }
  const out: StateResource[] = [];
  for (const r of Array.isArray(doc.resources) ? doc.resources : []) {
    if (!isRecord(r) || r.mode !== "managed" || typeof r.type !== "string" || !KINDS.includes(r.type))
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
      const item = fromAttributes(r.type as ManagedKind, address, instance.attributes, source, {
        deposed: typeof instance.deposed === "string" ? instance.deposed : undefined,
        tainted: instance.status === "tainted",
      });
      if (item) out.push(item);
    }
  }
  return out;
}

function fromAttributes(
  kind: ManagedKind,
  address: string,
  attrs: unknown,
  source: string,
  status: { deposed?: string; tainted: boolean },
): StateResource | null {
  const item = holdingOf(kind, address, attrs, source);
  return {
    ...item,
    ...(status.deposed ? { deposed: status.deposed } : {}),
    ...(status.tainted ? { tainted: true } : {}),
  };
}

function holdingOf(kind: ManagedKind, address: string, attrs: unknown, source: string): StateResource {
  if (!isRecord(attrs)) throw new GitopsInputError(`${source}: ${address} has no attribute values`);
  const instanceId = attrs.instance_id;
  if (typeof instanceId !== "string") throw new GitopsInputError(`${source}: ${address} has no instance_id`);
  if (kind === "alisg_attachment") {
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
