/**
 * The emulator without HTTP: the world, the call log, faults and replay
 * protection, and the pipeline an API request goes through:
 *
 *   route (Action, Version) -> signature -> timestamp -> nonce -> RAM policy
 *   -> fault draw -> [per-instance queue: latency -> injected refusal | action]
 *   -> lost response?
 */
import { randomUUID } from "node:crypto";
import { ACTIONS, API_VERSION, findAction, type ActionSpec } from "./actions";
import { changeQueueKey } from "./actions/membership-rules";
import { ApiError, errorBody } from "./api-error";
import { actionParams, CallLog } from "./call-log";
import { FaultInjector, lostResponseError } from "./faults";
import { KeyedQueue } from "../util/keyed-queue";
import { authorize } from "./ram";
import { checkTimestamp, NonceRegistry } from "./replay";
import { allParams, signatureStyle, type SignedRequest, verifySignature } from "./signature";
import { cloneState, type EmulatorState } from "./state";

export interface ApiResponse {
  httpStatus: number;
  requestId: string;
  body: Record<string, unknown>;
}

export class EmulatorEngine {
  readonly calls = new CallLog();
  readonly faults = new FaultInjector();
  private readonly nonces = new NonceRegistry();
  private readonly queue = new KeyedQueue();

  constructor(
    private world: EmulatorState,
    /** Injected for tests of timestamps. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** A deep copy of the current world. */
  state(): EmulatorState {
    return cloneState(this.world);
  }

  /** Replaces the world (already validated). Calls, faults and nonces are kept. */
  replaceState(state: EmulatorState): void {
    this.world = cloneState(state);
  }

  get hostId(): string {
    return `ecs.${this.world.regionId}.aliyuncs.com`;
  }

  /** Answers one RPC request. Never throws: every failure becomes an error body. */
  async handle(req: SignedRequest): Promise<ApiResponse> {
    const params = allParams(req);
    // Only what the signature covers decides the action: ACS3 signs the x-acs-* headers and the
    // query; HMAC-SHA1 signs the parameters alone, so its action never comes from a header.
    const viaHeaders = signatureStyle(req) === "acs3";
    const action = (viaHeaders ? (req.headers["x-acs-action"] ?? params.Action) : params.Action) ?? "";
    const version = viaHeaders ? (req.headers["x-acs-version"] ?? params.Version) : params.Version;
    const ownParams = actionParams(params);
    return this.answer(action, ownParams, () => this.run(req, action, version, ownParams));
  }

  /**
   * Answers one call made in the same process, without HTTP: no signature,
   * timestamp, nonce or RAM check, but the same actions, rules, faults, queue
   * and call log. For tests that drive many applies against the engine
   * (`params` as the RPC query would carry them, without Action and Version).
   */
  callInProcess(action: string, params: Record<string, string>): Promise<ApiResponse> {
    return this.answer(action, params, () => {
      const spec = findAction(action);
      if (!spec)
        throw new ApiError(
          404,
          "InvalidAction.NotFound",
          `Specified api ${JSON.stringify(action)} is not found.`,
        );
      return this.execute(action, spec, params);
    });
  }

  private async answer(
    action: string,
    ownParams: Record<string, string>,
    run: () => Promise<Record<string, unknown>>,
  ): Promise<ApiResponse> {
    const requestId = randomUUID().toUpperCase();
    let response: ApiResponse;
    try {
      const body = await run();
      response = { httpStatus: 200, requestId, body: { RequestId: requestId, ...body } };
    } catch (err) {
      const error =
        err instanceof ApiError
          ? err
          : new ApiError(
              500,
              "InternalError",
              `The emulator failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`,
            );
      response = {
        httpStatus: error.httpStatus,
        requestId,
        body: { ...errorBody(error, requestId, this.hostId) },
      };
    }
    this.calls.add({
      action,
      params: ownParams,
      httpStatus: response.httpStatus,
      code: response.httpStatus === 200 ? null : String(response.body.Code),
    });
    return response;
  }

  private async run(
    req: SignedRequest,
    action: string,
    version: string | undefined,
    params: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    if (req.method !== "GET" && req.method !== "POST") {
      throw new ApiError(
        405,
        "UnsupportedHTTPMethod",
        `The ECS RPC API accepts GET and POST, not ${req.method}.`,
      );
    }
    if (req.path !== "/") {
      throw new ApiError(
        404,
        "InvalidAction.NotFound",
        `Nothing is served at ${req.path}; the ECS RPC API is at /.`,
      );
    }
    if (action === "")
      throw new ApiError(
        400,
        "MissingParameter.Action",
        'The input parameter "Action" that is mandatory for processing this request is not supplied.',
      );
    if (version === undefined || version === "") {
      throw new ApiError(
        400,
        "MissingParameter.Version",
        'The input parameter "Version" that is mandatory for processing this request is not supplied.',
      );
    }
    if (version !== API_VERSION) {
      throw new ApiError(
        400,
        "InvalidVersion",
        `Specified parameter Version ${JSON.stringify(version)} is not valid; ECS serves ${API_VERSION}.`,
      );
    }
    const spec = findAction(action);
    if (!spec) {
      throw new ApiError(
        404,
        "InvalidAction.NotFound",
        `Specified api ${JSON.stringify(action)} is not found; the emulator serves ${Object.keys(ACTIONS).join(", ")}.`,
      );
    }

    const now = this.clock();
    const credentials = verifySignature(req, this.world.accessKeys);
    checkTimestamp(credentials.timestamp, now);
    this.nonces.use(credentials.accessKeyId, credentials.nonce, now);
    const key = this.world.accessKeys.find((k) => k.accessKeyId === credentials.accessKeyId);
    const forbidden = key ? authorize(key, action) : null;
    if (forbidden) throw forbidden;
    return this.execute(action, spec, params, now);
  }

  /** The action itself, with its faults, serialised per instance for changes. */
  private async execute(
    action: string,
    spec: ActionSpec,
    params: Record<string, string>,
    now: number = this.clock(),
  ): Promise<Record<string, unknown>> {
    const fate = this.faults.next(now, action);
    const execute = async () => {
      if (fate.latencyMs > 0) await sleep(fate.latencyMs);
      if (fate.before) throw fate.before;
      const result = spec.handler(this.world, params);
      if (result.state) this.world = result.state;
      return result.body;
    };
    // Changes to one list of groups (an instance with its primary ENI, or another ENI) are
    // applied one at a time, in arrival order.
    const body = spec.mutates
      ? await this.queue.run(changeQueueKey(this.world, params), execute)
      : await execute();
    if (fate.loseResponse) throw lostResponseError();
    return body;
  }
}

/** Injected latency; unref'd so a pending delay never keeps a closed emulator's process alive. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
