import type { EcsApi } from "../../ecs/types";
import type { ProviderDefinition } from "../plugin/types";
import { attachmentType, networkInterfaceAttachmentType } from "./attachment";
import {
  providerSchema,
  resolveProviderConfig,
  validateProviderBlock,
  type ProviderSettings,
} from "./config";
import { FactsSource } from "../guard/facts";
import { MembershipGuard } from "../guard/guard";
import type { HintKind, WalkHints } from "../guard/walk-hints";
import { isWellFormedInstanceId } from "../../membership/ids";
import { instanceSecurityGroupsType, networkInterfaceSecurityGroupsType } from "./instance-security-groups";
import { membershipResource, type Services } from "./membership-resource";
import type { Resource } from "./resource";

/** How the provider gets an ECS client; tests may pass their own. */
export type EcsClientFactory = (settings: ProviderSettings) => EcsApi;

function defaultClientFactory(settings: ProviderSettings): EcsApi {
  // Loaded here, not at start-up: the provider's handshake must stay cheap.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createEcsClient } = require("../../ecs/client") as typeof import("../../ecs/client");
  return createEcsClient(settings.client);
}

/**
 * The alisg provider: configuration block and resources. Loaded by the plugin
 * layer on the first RPC, after the handshake, so start-up stays cheap.
 */
export function createProviderDefinition(
  env: NodeJS.ProcessEnv = process.env,
  clientFactory: EcsClientFactory = defaultClientFactory,
  options: {
    /** When describes are sent (the guard's defaults unless given: tests that make thousands of walks shorten the waits). */
    readonly batchTiming?: ConstructorParameters<typeof FactsSource>[2];
    /** The instance IDs handed between the processes of one Terraform run (the provider process passes them). */
    readonly walkHints?: WalkHints;
  } = {},
): ProviderDefinition {
  const { batchTiming, walkHints } = options;
  let configured: Services | undefined;
  const stopping = new AbortController();
  const services = (): Services => {
    if (!configured) throw new Error("the alisg provider was used before it was configured");
    return configured;
  };
  const resources: Resource[] = [
    membershipResource(attachmentType, services),
    membershipResource(instanceSecurityGroupsType, services),
    membershipResource(networkInterfaceAttachmentType, services),
    membershipResource(networkInterfaceSecurityGroupsType, services),
  ];
  const byType = new Map(resources.map((r) => [r.typeName, r]));
  const resource = (typeName: string): Resource => {
    const r = byType.get(typeName);
    if (!r) throw new Error(`unknown resource type ${typeName}`);
    return r;
  };

  return {
    providerSchema,
    resourceSchemas: Object.fromEntries(resources.map((r) => [r.typeName, r.schema])),
    planDestroy: true,
    async validateProviderConfig(config) {
      // Only what the block alone tells: the environment is read when configuring.
      return validateProviderBlock(config);
    },
    async configureProvider(config) {
      const { settings, diagnostics } = resolveProviderConfig(config, env);
      if (settings) {
        const api = clientFactory({ ...settings, client: { ...settings.client, signal: stopping.signal } });
        const factsSource = new FactsSource(api, settings.maxSecurityGroups, batchTiming);
        // What the run's validating process saw configured: described now, 100 per call.
        if (walkHints) {
          const hinted = walkHints.read();
          factsSource.prefetch(hinted.instance, hinted.eni);
        }
        configured = {
          facts: factsSource,
          guard: new MembershipGuard(factsSource, api, {
            protectedSecurityGroupIds: settings.protectedSecurityGroupIds,
          }),
        };
      }
      return diagnostics;
    },
    async stop() {
      // Terraform's StopProvider (e.g. Ctrl-C): stop waiting out retries at once.
      stopping.abort();
    },
    async validateResourceConfig(typeName, config) {
      const diagnostics = resource(typeName).validate(config);
      const note = (kind: HintKind, id: unknown) => {
        if (walkHints && typeof id === "string" && isWellFormedInstanceId(id)) walkHints.record(kind, id);
      };
      note("instance", config.instance_id);
      note("eni", config.network_interface_id);
      return diagnostics;
    },
    readResource: (req) => resource(req.typeName).read(req),
    planResourceChange: (req) => resource(req.typeName).plan(req),
    applyResourceChange: (req) => resource(req.typeName).apply(req),
    importResourceState: (req) => resource(req.typeName).importState(req.id),
  };
}
