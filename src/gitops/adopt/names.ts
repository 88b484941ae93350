import { createHash } from "node:crypto";

/**
 * Terraform names (and cdktf construct IDs) for the resources adopt writes,
 * derived from the IDs alone so that the same estate always gets the same
 * names: `i-bp1abc_sg-bp1web` for the attachment of that pair, `i-bp1abc` for
 * an instance's set. The IDs are already of `A-Z a-z 0-9 - _`, which a
 * Terraform name may hold, and which cdktf keeps as the address of a resource
 * placed directly in a stack; a name must start with a letter or `_`, so one
 * that would not gets a leading `_`. Two keys that would come out the same
 * (possible only with `_` inside IDs, which real ECS IDs never have) both get
 * a suffix from a hash of their IDs.
 */
export function resourceNames(keys: readonly (readonly string[])[]): string[] {
  const plain = keys.map((parts) => {
    const joined = parts.join("_");
    return /^[A-Za-z_]/.test(joined) ? joined : `_${joined}`;
  });
  const count = new Map<string, number>();
  for (const name of plain) count.set(name, (count.get(name) ?? 0) + 1);
  return plain.map((name, n) =>
    count.get(name)! > 1
      ? `${name}_${createHash("sha256").update(keys[n].join("\u0000")).digest("hex").slice(0, 8)}`
      : name,
  );
}
