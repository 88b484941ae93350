/**
 * The ECS API client alisg uses: four operations over the RPC API, with
 * batching and paging for reads, "already so" answers turned into success for
 * writes, and bounded retries of what is worth waiting out.
 *
 * Loading this module is cheap: the SDK is loaded on the first call (see sdk-transport.ts).
 */
import { setMaxListeners } from "node:events";
import { ApiCallError, CLIENT_CODES, EcsError, classifyError } from "./errors";
import { instanceItems, nextToken, securityGroupItems, toEcsInstance, toEcsSecurityGroup } from "./mapping";
import {
  DEFAULT_RETRY_POLICY,
  RetryAbortedError,
  withRetry,
  type RetryHooks,
  type RetryPolicy,
} from "./retry";
import { SdkTransport, type RpcTransport } from "./sdk-transport";
import type { EcsApi, EcsClientConfig, EcsInstance, EcsSecurityGroup, MutationResult } from "./types";

/** DescribeInstances / DescribeSecurityGroups take at most this many IDs per call. */
export const MAX_IDS_PER_CALL = 100;
/** A broken server that keeps answering NextToken must not keep us paging forever. */
const MAX_PAGES_PER_BATCH = 1000;

/** Seams for tests and for callers that want to watch retries. */
export interface EcsClientDeps {
  /** @default the official SDK core over HTTP */
  readonly transport?: RpcTransport;
  readonly sleep?: RetryHooks["sleep"];
  readonly random?: RetryHooks["random"];
  readonly onRetry?: (info: { action: string; attempt: number; delayMs: number; error: EcsError }) => void;
}

type Mutation = "JoinSecurityGroup" | "LeaveSecurityGroup";

export class EcsClient implements EcsApi {
  private readonly transport: RpcTransport;
  private readonly policy: RetryPolicy;
  private readonly pageSize: number;

  constructor(
    private readonly config: EcsClientConfig,
    private readonly deps: EcsClientDeps = {},
  ) {
    if (!config.regionId) throw new Error("ECS client: regionId is required (provider attribute region).");
    this.transport = deps.transport ?? new SdkTransport(config);
    this.policy = {
      maxRetries: config.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
      baseDelayMs: config.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: config.retryMaxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    };
    // Every call in flight listens on the shared signal; a provider easily has more than
    // Node's default of 10 at once, which would print a (false) leak warning.
    if (config.signal) setMaxListeners(0, config.signal);
    this.pageSize = Math.min(MAX_IDS_PER_CALL, Math.max(1, Math.floor(config.pageSize ?? MAX_IDS_PER_CALL)));
  }

  async describeInstances(instanceIds: readonly string[]): Promise<Map<string, EcsInstance>> {
    const result = new Map<string, EcsInstance>();
    await this.describeInBatches("DescribeInstances", "InstanceIds", instanceIds, (body, wanted) => {
      for (const item of instanceItems(body)) {
        const instance = toEcsInstance(item, this.config.regionId);
        if (instance && wanted.has(instance.instanceId)) result.set(instance.instanceId, instance);
      }
    });
    return result;
  }

  async describeSecurityGroups(securityGroupIds: readonly string[]): Promise<Map<string, EcsSecurityGroup>> {
    const result = new Map<string, EcsSecurityGroup>();
    await this.describeInBatches(
      "DescribeSecurityGroups",
      "SecurityGroupIds",
      securityGroupIds,
      (body, wanted) => {
        for (const item of securityGroupItems(body)) {
          const group = toEcsSecurityGroup(item);
          if (group && wanted.has(group.securityGroupId)) result.set(group.securityGroupId, group);
        }
      },
    );
    return result;
  }

  joinSecurityGroup(instanceId: string, securityGroupId: string): Promise<MutationResult> {
    return this.mutate("JoinSecurityGroup", instanceId, securityGroupId);
  }

  leaveSecurityGroup(instanceId: string, securityGroupId: string): Promise<MutationResult> {
    return this.mutate("LeaveSecurityGroup", instanceId, securityGroupId);
  }

  private async mutate(
    action: Mutation,
    instanceId: string,
    securityGroupId: string,
  ): Promise<MutationResult> {
    try {
      const { value, attempts } = await this.call(action, {
        RegionId: this.config.regionId,
        InstanceId: instanceId,
        SecurityGroupId: securityGroupId,
      });
      return {
        requestId: typeof value.RequestId === "string" ? value.RequestId : null,
        alreadyDone: false,
        attempts,
      };
    } catch (e) {
      // Includes an "already a member" answer to the retry of a call whose response was lost.
      if (e instanceof EcsError && e.category === "already-done") {
        return { requestId: e.requestId, alreadyDone: true, attempts: e.attempts };
      }
      throw e;
    }
  }

  /** Unique IDs in batches of 100, each batch paged with MaxResults / NextToken. */
  private async describeInBatches(
    action: string,
    idsParameter: string,
    ids: readonly string[],
    collect: (body: Record<string, unknown>, wanted: ReadonlySet<string>) => void,
  ): Promise<void> {
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += MAX_IDS_PER_CALL) {
      const batch = unique.slice(start, start + MAX_IDS_PER_CALL);
      const wanted = new Set(batch);
      const seenTokens = new Set<string>();
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES_PER_BATCH; page++) {
        const query: Record<string, string> = {
          RegionId: this.config.regionId,
          [idsParameter]: JSON.stringify(batch),
          MaxResults: String(this.pageSize),
        };
        if (token) query.NextToken = token;
        const { value: body } = await this.call(action, query);
        collect(body, wanted);
        token = nextToken(body);
        if (!token || seenTokens.has(token)) break;
        seenTokens.add(token);
      }
    }
  }

  /** One action with retries; every failure leaves as an EcsError. */
  private async call(
    action: string,
    query: Record<string, string>,
  ): Promise<{ value: Record<string, unknown>; attempts: number }> {
    const { signal } = this.config;
    try {
      return await withRetry(
        async (attempt) => {
          try {
            return await this.transport.call(action, query);
          } catch (e) {
            throw toEcsError(e, action, attempt);
          }
        },
        (e) => e instanceof EcsError && e.category === "retryable",
        this.policy,
        {
          sleep: this.deps.sleep,
          random: this.deps.random,
          signal,
          onRetry: ({ attempt, delayMs, error }) =>
            this.deps.onRetry?.({ action, attempt, delayMs, error: error as EcsError }),
        },
        (e) => (e instanceof EcsError ? e.retryAfterMs : undefined),
      );
    } catch (e) {
      if (e instanceof RetryAbortedError) {
        throw new EcsError({
          code: CLIENT_CODES.canceled,
          apiMessage: "the operation was canceled before it completed; its effect, if any, is unknown",
          action,
          requestId: null,
          httpStatus: null,
          attempts: e.attempts,
          category: "other",
        });
      }
      throw e;
    }
  }
}

/** Any failure of one attempt, as an EcsError that knows its attempt number. */
function toEcsError(e: unknown, action: string, attempt: number): EcsError {
  if (e instanceof ApiCallError) {
    return new EcsError({
      code: e.code,
      apiMessage: e.apiMessage,
      action,
      requestId: e.requestId,
      httpStatus: e.httpStatus,
      attempts: attempt,
      category: classifyError(e.code, e.httpStatus, action),
      retryAfterMs: e.retryAfterMs,
    });
  }
  if (e instanceof EcsError) return e;
  // A transport that broke its contract; say so without echoing anything unknown.
  return new EcsError({
    code: CLIENT_CODES.unknown,
    apiMessage:
      e instanceof Error ? `${e.name} from the ECS transport` : "unexpected failure of the ECS transport",
    action,
    requestId: null,
    httpStatus: null,
    attempts: attempt,
    category: "other",
  });
}

/** The client alisg uses to reach ECS (or the emulator, via `endpoint`). */
export function createEcsClient(config: EcsClientConfig): EcsApi {
  return new EcsClient(config);
}
