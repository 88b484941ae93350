/**
 * Syntax of the IDs alisg accepts, decided once for the whole product.
 *
 * Real ECS IDs look like `i-bp1a2b3c4d` / `sg-bp1xyz`; demos and the emulator
 * use readable ones (`i-web1`, `sg-web`). Rather than guess at every prefix and
 * region format Alibaba Cloud uses, alisg accepts what any of these could be:
 * 1 to 64 ASCII letters, digits, `-` and `_`. Anything else (empty, spaces,
 * quotes, `;`, `:`, `.`, non-ASCII) can never name an ECS resource and is
 * refused before a call is made. The prefix (`i-`, `sg-`) is not required:
 * a wrong but well-formed ID is answered by the NotFound rules instead.
 */

/** Longest ID accepted (real IDs are about 22 characters). */
export const MAX_ID_LENGTH = 64;

const ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}$`);

/** true when `id` could be an ECS instance ID. */
export function isWellFormedInstanceId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** true when `id` could be an ECS security group ID. */
export function isWellFormedSecurityGroupId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Why `id` is malformed, as a short clause (e.g. `it contains whitespace`), for messages. */
export function describeMalformedId(id: string): string {
  if (id.length === 0) return "it is empty";
  if (/\s/.test(id)) return "it contains whitespace";
  if (id.length > MAX_ID_LENGTH) return `it is longer than ${MAX_ID_LENGTH} characters`;
  return "it may contain only letters, digits, '-' and '_'";
}

/**
 * An ID as a message shows it: as is when it is plain (`i-web1`), JSON-quoted
 * when it is empty or holds anything outside `A-Z a-z 0-9 - _` (`""`,
 * `"i-web1\n"`), so that an empty ID is visible and a newline or a quote in
 * one can never break, or forge, a line of output.
 */
export function quoteId(id: string): string {
  return /^[A-Za-z0-9_-]+$/.test(id) ? id : JSON.stringify(id);
}
