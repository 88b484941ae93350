/**
 * Resource ID syntax shared by the seed validator and the API rules.
 *
 * Real ECS IDs look like `i-bp1a2b3c...` / `sg-bp1a2b3c...`; the emulator
 * accepts readable ones too (`i-web1`, `sg-base`) but refuses anything a real
 * ID could never be: empty, whitespace, or characters outside letters, digits,
 * `-`, `_` and `.`.
 */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** true when `id` could be an ECS resource ID. */
export function isWellFormedId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Human description of why an ID is malformed (for error messages). */
export function describeMalformedId(id: string): string {
  if (id.length === 0) return "it is empty";
  if (/\s/.test(id)) return "it contains whitespace";
  if (id.length > 128) return "it is longer than 128 characters";
  return "it may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit";
}
