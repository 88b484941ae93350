import { isAttachmentKind, type ResourceKind } from "./resource-change";

/**
 * What a resource holds as ECS has it: what a refresh records, and what the
 * state records after an apply that failed half-way. Defined once: the
 * provider's read and failed applies use it, and `alisg drift` compares with
 * it.
 *
 * - An attachment holds, of the groups it may hold (`candidates`: its own
 *   group, the pending ones, and what a failed step joined for it), those the
 *   instance is in; its own group stays first where it still holds it. It
 *   holds nothing (and leaves the state) when the instance or every group is
 *   gone.
 * - An authoritative set holds every group the instance is in.
 *
 * `live`: the instance's groups; `"gone"`: it does not exist; `null`: not
 * known (after a failure that could not be described): then everything it may
 * hold is kept, so that nothing that exists is forgotten.
 */
export function heldBy(
  kind: ResourceKind,
  candidates: readonly string[],
  own: string | undefined,
  live: readonly string[] | null | "gone",
): string[] | null {
  if (live === "gone") return null;
  if (!isAttachmentKind(kind)) return live === null ? [...candidates] : [...live];
  const held =
    live === null ? [...new Set(candidates)] : [...new Set(candidates)].filter((g) => live.includes(g));
  if (held.length === 0) return null;
  const first = own !== undefined && held.includes(own) ? own : [...held].sort()[0];
  return [first, ...held.filter((g) => g !== first).sort()];
}
