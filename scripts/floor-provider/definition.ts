import { createProviderDefinition } from "../../src/provider/resources/provider";
import {
  isUnknown,
  unknown,
  type ObjectValue,
  type ProviderDefinition,
  type Value,
} from "../../src/provider/plugin/types";

/**
 * The bench's floor: a provider with alisg's exact schemas, served by alisg's
 * own plugin layer (launcher, code cache, mTLS, grpc-js, protobuf, msgpack),
 * that does no work of its own. It validates nothing, reads state back as it
 * is, plans the proposed state (computed attributes unknown on create) and
 * applies the plan: no ECS client, no guard, no whole-plan judge.
 *
 * `npm run bench` runs the same configurations with it, so the distance
 * between the floor and `terraform_data` is what any provider process on this
 * transport costs Terraform, and the distance between alisg and the floor is
 * alisg's own work (docs/benchmarks.md).
 */
export function floorDefinition(): ProviderDefinition {
  // Only the schemas of the real definition are used: it makes no client until configured.
  const real = createProviderDefinition({});
  const computed = new Map(
    Object.entries(real.resourceSchemas).map(([type, s]) => [
      type,
      s.attributes.filter((a) => a.computed).map((a) => a.name),
    ]),
  );
  let serial = 0;
  return {
    providerSchema: real.providerSchema,
    resourceSchemas: real.resourceSchemas,
    planDestroy: real.planDestroy,
    async configureProvider() {
      return [];
    },
    async readResource(req) {
      return { newState: req.currentState, private: req.private };
    },
    async planResourceChange(req) {
      const { priorState: prior, proposedNewState: proposed } = req;
      if (proposed === null) return { plannedState: null };
      if (prior !== null) return { plannedState: proposed, plannedPrivate: req.priorPrivate };
      const planned: Record<string, Value> = { ...proposed };
      for (const name of computed.get(req.typeName) ?? [])
        if (planned[name] === null) planned[name] = unknown;
      return { plannedState: planned };
    },
    async applyResourceChange(req) {
      if (req.plannedState === null) return { newState: null };
      const state: Record<string, Value> = {};
      for (const [name, v] of Object.entries(req.plannedState)) state[name] = isUnknown(v) ? null : v;
      state.id = `floor-${++serial}`;
      return { newState: state as ObjectValue };
    },
    async importResourceState() {
      return { resources: [] };
    },
  };
}
