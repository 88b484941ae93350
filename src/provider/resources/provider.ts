import type { ProviderDefinition } from "../plugin/types";

/**
 * The alisg provider: configuration block and resources. Loaded by the plugin
 * layer on the first RPC, after the handshake, so start-up stays cheap.
 * (Placeholder until the provider issue lands the resources.)
 */
export function createProviderDefinition(): ProviderDefinition {
  return {
    providerSchema: { attributes: [] },
    resourceSchemas: {},
    planDestroy: true,
    async configureProvider() {
      return [];
    },
    async readResource(req) {
      return { newState: req.currentState };
    },
    async planResourceChange(req) {
      return { plannedState: req.proposedNewState };
    },
    async applyResourceChange(req) {
      return { newState: req.plannedState };
    },
    async importResourceState() {
      return { resources: [] };
    },
  };
}
