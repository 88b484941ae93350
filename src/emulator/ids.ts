/**
 * Resource ID syntax shared by the seed validator and the API rules.
 *
 * Real ECS IDs look like `i-bp1a2b3c...` / `sg-bp1a2b3c...`; the emulator
 * accepts readable ones too (`i-web1`, `sg-base`) but refuses anything a real
 * ID could never be. It is the provider's rule (src/membership/ids.ts), so
 * that whatever the provider lets through, the emulator serves, and the
 * reverse: 1 to 64 ASCII letters, digits, `-` and `_`
 * (test/emulator/ids.test.ts checks that the two agree).
 */
export const MAX_ID_LENGTH = 64;
const ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}$`);

/** true when `id` could be an ECS resource ID. */
export function isWellFormedId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Human description of why an ID is malformed (for error messages). */
export function describeMalformedId(id: string): string {
  if (id.length === 0) return "it is empty";
  if (/\s/.test(id)) return "it contains whitespace";
  if (id.length > MAX_ID_LENGTH) return `it is longer than ${MAX_ID_LENGTH} characters`;
  return "it may contain only letters, digits, '-' and '_'";
}
