/**
 * The ECS API client alisg uses: six operations over the RPC API (describe
 * instances by ID or by filters, describe groups, describe ENIs, join and
 * leave with an instance or an ENI), with
 * batching and paging for reads, "already so" answers turned into success for
 * writes, and retries of what is worth waiting out until each call's deadline.
 *
 * A dead endpoint fails fast and once: a connection that is refused (or
 * cannot be made) is tried three times within about a second, an endpoint
 * that connects but does not answer is given one response timeout; then the
 * client marks the endpoint unreachable, and every other call of this client
 * (in flight or later) fails at once with a short error that points to the
 * first one, instead of each call waiting out its own retries.
 *
 * Loading this module is cheap: the SDK is loaded on the first call (see sdk-transport.ts).
 */
import { setMaxListeners } from "node:events";
import { ApiCallError, CLIENT_CODES, EcsError, classifyError } from "./errors";
import { resolveEndpoint } from "./endpoint";
import {
  instanceItems,
  networkInterfaceItems,
  nextToken,
  securityGroupItems,
  toEcsInstance,
  toEcsNetworkInterface,
  toEcsSecurityGroup,
} from "./mapping";
import {
  DEFAULT_RETRY_POLICY,
  RetryAbortedError,
  RetryDeadlineError,
  withRetry,
  type RetryHooks,
  type RetryPolicy,
} from "./retry";
import { SdkTransport, type RpcTransport } from "./sdk-transport";
import { DEFAULT_RESPONSE_TIMEOUT_MS } from "./sdk-transport";
import type {
  Deadline,
  EcsApi,
  EcsClientConfig,
  EcsInstance,
  EcsInstanceSearch,
  EcsNetworkInterface,
  EcsSecurityGroup,
  InstanceFilter,
  MutationOptions,
  MutationResult,
} from "./types";
import { MAX_TAG_FILTERS } from "./types";

/** DescribeInstances / DescribeSecurityGroups take at most this many IDs per call. */
export const MAX_IDS_PER_CALL = 100;
/** A broken server that keeps answering NextToken must not keep us paging forever. */
const MAX_PAGES_PER_BATCH = 1000;
/** The deadline of calls made without one (the provider's `read_timeout` default). */
export const DEFAULT_CALL_TIMEOUT_MS = 5 * 60_000;
/** Attempts at a connection that is refused or cannot be made, before the endpoint counts as down. */
const CONNECT_ATTEMPTS = 3;
/** Connection faults that show at once (no timer ran out): worth those few quick tries. */
const QUICK_CONNECT_FAULTS: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Seams for tests and for callers that want to watch retries. */
export interface EcsClientDeps {
  /** @default the official SDK core over HTTP */
  readonly transport?: RpcTransport;
  readonly sleep?: RetryHooks["sleep"];
  readonly random?: RetryHooks["random"];
  readonly onRetry?: (info: { action: string; attempt: number; delayMs: number; error: EcsError }) => void;
  /** @default Date.now (with `sleep`, a fake clock for tests) */
  readonly now?: () => number;
}

type Mutation = "JoinSecurityGroup" | "LeaveSecurityGroup";

export class EcsClient implements EcsApi, EcsInstanceSearch {
  private readonly transport: RpcTransport;
  private readonly policy: RetryPolicy;
  private readonly pageSize: number;
  private readonly endpointUrl: string;
  /** Set once the endpoint was found unreachable: every later call fails at once with it. */
  private unreachable?: EcsError;

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
    const endpoint = resolveEndpoint(config.regionId, config.endpoint);
    this.endpointUrl = `${endpoint.protocol}://${endpoint.host}`;
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

  async findInstances(filter: InstanceFilter): Promise<EcsInstance[]> {
    const query = instanceFilterQuery(filter);
    const found = new Map<string, EcsInstance>();
    const collect = (body: Record<string, unknown>, wanted?: ReadonlySet<string>) => {
      for (const item of instanceItems(body)) {
        const instance = toEcsInstance(item, this.config.regionId);
        if (instance && (!wanted || wanted.has(instance.instanceId)))
          found.set(instance.instanceId, instance);
      }
    };
    if (filter.instanceIds === undefined) await this.describePages("DescribeInstances", query, collect);
    else await this.describeInBatches("DescribeInstances", "InstanceIds", filter.instanceIds, collect, query);
    return [...found.values()];
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

  async describeNetworkInterfaces(
    networkInterfaceIds: readonly string[],
  ): Promise<Map<string, EcsNetworkInterface>> {
    const result = new Map<string, EcsNetworkInterface>();
    await this.describeInBatches(
      "DescribeNetworkInterfaces",
      "NetworkInterfaceId",
      networkInterfaceIds,
      (body, wanted) => {
        for (const item of networkInterfaceItems(body)) {
          const eni = toEcsNetworkInterface(item);
          if (eni && wanted.has(eni.networkInterfaceId)) result.set(eni.networkInterfaceId, eni);
        }
      },
      {},
      "repeated",
    );
    return result;
  }

  joinSecurityGroup(
    memberId: string,
    securityGroupId: string,
    options?: MutationOptions,
  ): Promise<MutationResult> {
    return this.mutate("JoinSecurityGroup", memberId, securityGroupId, options);
  }

  leaveSecurityGroup(
    memberId: string,
    securityGroupId: string,
    options?: MutationOptions,
  ): Promise<MutationResult> {
    return this.mutate("LeaveSecurityGroup", memberId, securityGroupId, options);
  }

  private async mutate(
    action: Mutation,
    memberId: string,
    securityGroupId: string,
    options: MutationOptions = {},
  ): Promise<MutationResult> {
    // Exactly one of InstanceId / NetworkInterfaceId; RegionId always (required with an ENI).
    const member = options.member === "networkInterface" ? "NetworkInterfaceId" : "InstanceId";
    try {
      const { value, attempts } = await this.call(
        action,
        { RegionId: this.config.regionId, [member]: memberId, SecurityGroupId: securityGroupId },
        options.deadline,
      );
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

  /**
   * Unique IDs in batches of 100 (with the other `filters`), each batch paged
   * with MaxResults / NextToken. The IDs go as one JSON array string
   * (`InstanceIds=["i-1"]`), or `repeated` as `<Name>.1`, `<Name>.2`, ...
   * (`NetworkInterfaceId.N`), as each action takes them.
   */
  private async describeInBatches(
    action: string,
    idsParameter: string,
    ids: readonly string[],
    collect: (body: Record<string, unknown>, wanted: ReadonlySet<string>) => void,
    filters: Readonly<Record<string, string>> = {},
    idsStyle: "json" | "repeated" = "json",
  ): Promise<void> {
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += MAX_IDS_PER_CALL) {
      const batch = unique.slice(start, start + MAX_IDS_PER_CALL);
      const wanted = new Set(batch);
      const idParams =
        idsStyle === "json"
          ? { [idsParameter]: JSON.stringify(batch) }
          : Object.fromEntries(batch.map((id, n) => [`${idsParameter}.${n + 1}`, id]));
      await this.describePages(action, { ...filters, ...idParams }, (body) => collect(body, wanted));
    }
  }

  /** Every page of one Describe query, followed with MaxResults / NextToken. */
  private async describePages(
    action: string,
    filters: Readonly<Record<string, string>>,
    collect: (body: Record<string, unknown>) => void,
  ): Promise<void> {
    const seenTokens = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_BATCH; page++) {
      const query: Record<string, string> = {
        RegionId: this.config.regionId,
        ...filters,
        MaxResults: String(this.pageSize),
      };
      if (token) query.NextToken = token;
      const { value: body } = await this.call(action, query);
      collect(body);
      token = nextToken(body);
      if (!token || seenTokens.has(token)) break;
      seenTokens.add(token);
    }
  }

  /** The deadline of a call made without one: the client's default budget from now. */
  private defaultDeadline(): Deadline {
    const ms = this.config.defaultTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    return { at: (this.deps.now ?? Date.now)() + ms, description: `read_timeout = "${formatDuration(ms)}"` };
  }

  /** One action with retries until the deadline; every failure leaves as an EcsError. */
  private async call(
    action: string,
    query: Record<string, string>,
    deadline: Deadline = this.defaultDeadline(),
  ): Promise<{ value: Record<string, unknown>; attempts: number }> {
    const { signal } = this.config;
    if (this.unreachable) throw this.notAttempted(action);
    try {
      return await withRetry(
        async (attempt) => {
          if (this.unreachable) throw this.notAttempted(action);
          try {
            return await this.transport.call(action, query);
          } catch (e) {
            throw toEcsError(e, action, attempt);
          }
        },
        (e) =>
          e instanceof EcsError &&
          (e.category === "retryable" ||
            // A refused connection may be a restart: a couple of quick tries, then the endpoint is down.
            (QUICK_CONNECT_FAULTS.has(e.code) && e.attempts < CONNECT_ATTEMPTS)),
        this.policy,
        {
          sleep: this.deps.sleep,
          random: this.deps.random,
          now: this.deps.now,
          signal,
          deadline: deadline.at,
          // ECS blocks a throttled caller until the next minute: waited out until the deadline.
          counts: (e) => !(e instanceof EcsError && e.code.startsWith("Throttling")),
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
      if (e instanceof RetryDeadlineError) throw deadlineError(e, action, deadline);
      if (
        e instanceof EcsError &&
        e.category === "unreachable" &&
        e.code !== CLIENT_CODES.endpointUnreachable
      ) {
        throw this.markUnreachable(e, action);
      }
      throw e;
    }
  }

  /** The first sign of a dead endpoint: one clear error naming it; later calls point to it. */
  private markUnreachable(e: EcsError, action: string): EcsError {
    // Another call found it first (concurrently): that one carries the explanation.
    if (this.unreachable) return this.notAttempted(action);
    const hanging = e.code === CLIENT_CODES.responseTimeout;
    const waited = formatSeconds(this.config.readTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS);
    const error = new EcsError({
      code: hanging ? CLIENT_CODES.responseTimeout : CLIENT_CODES.endpointUnreachable,
      apiMessage: hanging
        ? `the ECS endpoint ${this.endpointUrl} accepted the connection but sent no response within ${waited}. ` +
          "Check that the endpoint is an ECS API (or the alisg emulator) and that it is not stuck; " +
          "alisg makes no more calls to it in this run"
        : `cannot connect to the ECS endpoint ${this.endpointUrl} (${e.code}: ${connectReason(e)}). ` +
          "Check that it is running and reachable, and that endpoint / ALIBABA_CLOUD_ECS_ENDPOINT is right; " +
          "alisg makes no more calls to it in this run",
      action,
      requestId: null,
      httpStatus: null,
      attempts: e.attempts,
      category: "unreachable",
    });
    this.unreachable = error;
    return error;
  }

  /** What every call gets once the endpoint is known to be down. */
  private notAttempted(action: string): EcsError {
    return new EcsError({
      code: CLIENT_CODES.endpointUnreachable,
      apiMessage: `not attempted: the ECS endpoint ${this.endpointUrl} is unreachable (one other error of this run says why)`,
      action,
      requestId: null,
      httpStatus: null,
      attempts: 0,
      category: "unreachable",
    });
  }
}

/** The DescribeInstances parameters of a filter (without `InstanceIds`, which are batched). */
function instanceFilterQuery(filter: InstanceFilter): Record<string, string> {
  const tags = filter.tags ?? [];
  if (tags.length > MAX_TAG_FILTERS) {
    throw new Error(`DescribeInstances takes at most ${MAX_TAG_FILTERS} tag filters, not ${tags.length}.`);
  }
  const query: Record<string, string> = {};
  if (filter.vpcId) query.VpcId = filter.vpcId;
  if (filter.securityGroupId) query.SecurityGroupId = filter.securityGroupId;
  tags.forEach((tag, n) => {
    if (!tag.key) throw new Error(`Tag filter ${n + 1} has an empty key.`);
    query[`Tag.${n + 1}.Key`] = tag.key;
    if (tag.value !== undefined && tag.value !== "") query[`Tag.${n + 1}.Value`] = tag.value;
  });
  return query;
}

/** The last error, said to have reached the operation's deadline. */
function deadlineError(e: RetryDeadlineError, action: string, deadline: Deadline): EcsError {
  const last = e.lastError instanceof EcsError ? e.lastError : undefined;
  const gaveUp = `gave up at the deadline (${deadline.description}) after ${formatSeconds(e.elapsedMs)}`;
  return new EcsError({
    code: last?.code ?? "Timeout",
    apiMessage: last
      ? `${last.apiMessage}; ${gaveUp}`
      : `no answer before the deadline; ${gaveUp}. Its effect, if any, is unknown`,
    action,
    requestId: last?.requestId ?? null,
    httpStatus: last?.httpStatus ?? null,
    attempts: e.attempts,
    category: "other",
    accessDenied: last?.accessDenied,
  });
}

function connectReason(e: EcsError): string {
  switch (e.code) {
    case "ECONNREFUSED":
      return `connection refused, ${e.attempts} attempt${e.attempts === 1 ? "" : "s"}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "ConnectTimeout":
    case "ETIMEDOUT":
      return "no connection could be made in time";
    default:
      return "the network cannot reach it";
  }
}

/** A duration as Terraform users write it: `300ms`, `45s`, `5m`, `2h`. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
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
      accessDenied: e.accessDenied,
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
export function createEcsClient(config: EcsClientConfig): EcsApi & EcsInstanceSearch {
  return new EcsClient(config);
}
