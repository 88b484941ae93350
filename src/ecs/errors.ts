/**
 * ECS API errors as alisg sees them: one error class with the API's code, the
 * request ID and how many attempts were made, and one pure function that
 * decides what a code means (retry it, treat it as done, a safety refusal, or
 * anything else).
 */
import type { EcsErrorCategory } from "./types";

/** Codes that mean "the change you asked for is already true", per action. */
const ALREADY_DONE: Readonly<Record<string, ReadonlySet<string>>> = {
  JoinSecurityGroup: new Set(["InvalidInstanceId.AlreadyExists"]),
  LeaveSecurityGroup: new Set([
    "InvalidSecurityGroupAssociation.NotFound",
    "InstanceNotInSecurityGroup",
    // The instance or the group is gone: there is no membership left to remove.
    "InvalidInstanceId.NotFound",
    "InvalidEniId.NotFound",
    "InvalidSecurityGroupId.NotFound",
  ]),
};

/** The API's safety refusals: retrying cannot help, a person has to act. */
export const REFUSAL_CODES: ReadonlySet<string> = new Set([
  "InstanceLastSecurityGroup",
  "InvalidOperation.AtLeastInOneGroup",
  "IncorrectInstanceStatus",
  "InstanceLockedForSecurity",
  "InvalidSecurityGroupId.NotFound",
  "InvalidInstanceId.NotFound",
  "InvalidInstanceId.Mismatch",
  "InstanceSecurityGroupLimitExceeded",
  "InvalidInstanceId.Malformed",
  "InvalidSecurityGroupId.Malformed",
  "InvalidOperation.MultiGroupType",
  // The same refusals for an ENI.
  "InvalidEniId.NotFound",
  "InvalidEniId.Malformed",
  "IncorrectNetworkInterfaceStatus",
  "InvalidStatus.EniOrInstanceIsBeingCreated",
]);

/** API codes worth waiting out (besides any `Throttling*` code and any 5xx). */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "ServiceUnavailable",
  "InternalError",
  "RequestTimeout",
  "OperationConflict",
  "InvalidOperation.Conflict",
  // A response body that was not JSON (a proxy's error page, a cut-off body).
  "InvalidResponse",
]);

/**
 * Transport faults that mean the endpoint cannot be reached, or reached but
 * does not answer: Node's codes, plus `ConnectTimeout` / `ResponseTimeout`
 * for the HTTP library's timers. See `EcsClient` for what follows from them.
 */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ConnectTimeout",
  "ResponseTimeout",
]);

/** Every transport fault the client names by code: a dropped connection is worth retrying. */
export const NETWORK_FAULT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  ...UNREACHABLE_CODES,
]);

/** The code ECS answers (HTTP 403) when a RAM policy does not allow the action. */
export const FORBIDDEN_RAM = "Forbidden.RAM";

/** Codes the client itself raises (never sent by the API). */
export const CLIENT_CODES = {
  missingCredentials: "MissingCredentials",
  canceled: "OperationCanceled",
  invalidConfig: "InvalidClientConfig",
  unknown: "UnknownError",
  /** The endpoint refused, could not be found, or did not connect. */
  endpointUnreachable: "EndpointUnreachable",
  /** The endpoint took the connection but sent no response in time. */
  responseTimeout: "ResponseTimeout",
} as const;

/**
 * What an ECS error code means for `action`. Pure; the single place that
 * decides whether alisg retries, treats the call as done, or gives up.
 */
export function classifyError(
  code: string | null | undefined,
  httpStatus: number | null | undefined,
  action: string,
): EcsErrorCategory {
  const c = code ?? "";
  if (ALREADY_DONE[action]?.has(c)) return "already-done";
  if (REFUSAL_CODES.has(c)) return "refusal";
  // Forbidden.RAM and its kin: a person has to change a RAM policy; never "gone", never retried.
  if (c.startsWith("Forbidden")) return "forbidden";
  if (UNREACHABLE_CODES.has(c) || c === CLIENT_CODES.endpointUnreachable) return "unreachable";
  if (c.startsWith("Throttling") || RETRYABLE_CODES.has(c) || NETWORK_FAULT_CODES.has(c)) return "retryable";
  if (typeof httpStatus === "number" && httpStatus >= 500 && httpStatus <= 599) return "retryable";
  return "other";
}

export interface EcsErrorProps {
  readonly code: string;
  /** The API's own message (already free of secrets). */
  readonly apiMessage: string;
  readonly action: string;
  readonly requestId: string | null;
  readonly httpStatus: number | null;
  readonly attempts: number;
  /** @default classifyError(code, httpStatus, action) */
  readonly category?: EcsErrorCategory;
  /** A server-suggested wait before retrying (throttling), in ms. */
  readonly retryAfterMs?: number;
  /** For Forbidden.RAM: the RAM action refused (`ecs:LeaveSecurityGroup`) and who asked. */
  readonly accessDenied?: AccessDenied;
}

/** What ECS's `AccessDeniedDetail` says about a RAM refusal. */
export interface AccessDenied {
  /** e.g. `ecs:DescribeInstances` */
  readonly authAction: string;
  /** e.g. `SubUser` / `AssumedRoleUser`, when the API said so. */
  readonly principalType?: string;
  /** The RAM user or role's display name, when the API said so. */
  readonly principalName?: string;
}

/**
 * A failed ECS call. The message reads
 * `<Code>: <API message> (action <Action>, request <RequestId>, after <n> attempt(s))`
 * and never carries a secret: it is built only from sanitised parts, and the
 * SDK's own error (which can echo the signed request) is deliberately not kept as `cause`.
 */
export class EcsError extends Error {
  readonly code: string;
  readonly requestId: string | null;
  readonly httpStatus: number | null;
  readonly attempts: number;
  readonly action: string;
  readonly category: EcsErrorCategory;
  readonly apiMessage: string;
  readonly retryAfterMs?: number;
  readonly accessDenied?: AccessDenied;

  constructor(props: EcsErrorProps) {
    super(formatEcsErrorMessage(props));
    this.name = "EcsError";
    this.code = props.code;
    this.apiMessage = props.apiMessage;
    this.requestId = props.requestId;
    this.httpStatus = props.httpStatus;
    this.attempts = props.attempts;
    this.action = props.action;
    this.category = props.category ?? classifyError(props.code, props.httpStatus, props.action);
    this.retryAfterMs = props.retryAfterMs;
    this.accessDenied = props.accessDenied;
  }
}

export function formatEcsErrorMessage(p: Omit<EcsErrorProps, "category">): string {
  const attempts = `${p.attempts} attempt${p.attempts === 1 ? "" : "s"}`;
  const message = p.apiMessage.trim() || "no message";
  const guidance = p.code === FORBIDDEN_RAM ? ramGuidance(p.action, p.accessDenied) : "";
  if (p.attempts === 0) return `${p.code}: ${guidance}${message} (action ${p.action}, not sent)`;
  return `${p.code}: ${guidance}${message} (action ${p.action}, request ${p.requestId ?? "none"}, after ${attempts})`;
}

/**
 * The next step after a RAM refusal, in front of the API's own message:
 * which action is missing, for whom, and what to change. Nothing was changed
 * and nothing is read as gone.
 */
export function ramGuidance(action: string, denied: AccessDenied | undefined): string {
  const authAction = denied?.authAction || `ecs:${action}`;
  const who = denied?.principalName
    ? `the ${denied.principalType ? `${denied.principalType} ` : ""}${JSON.stringify(denied.principalName)}`
    : "these credentials";
  return (
    `${who} may not call ${authAction}. Ask a RAM administrator to allow ${authAction} ` +
    `in a policy attached to that RAM user or role (the README lists a least-privilege policy), then run again. ` +
    `Nothing was changed and no resource was dropped from state. API: `
  );
}

/**
 * A failure of one HTTP attempt, as the transport reports it: already
 * sanitised, with no reference to the SDK's error object.
 */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    readonly apiMessage: string,
    readonly httpStatus: number | null,
    readonly requestId: string | null,
    /** A server-suggested wait before retrying (throttling), in ms. */
    readonly retryAfterMs?: number,
    /** For Forbidden.RAM: what the API's `AccessDeniedDetail` says. */
    readonly accessDenied?: AccessDenied,
  ) {
    super(`${code}: ${apiMessage}`);
    this.name = "ApiCallError";
  }
}

export function isEcsError(e: unknown): e is EcsError {
  return e instanceof EcsError;
}

const MASK = "***";

/**
 * Removes secrets from a text that may echo the signed request: the known
 * secret values (plain and URL-encoded), signature and token parameters,
 * auth headers, and whole query strings of URLs.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), encodeRfc3986(secret)])) {
      out = out.split(form).join(MASK);
    }
  }
  return (
    out
      // Query strings carry Signature / SecurityToken with the v2 signature.
      .replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/gi, "$1")
      .replace(
        /\b(Signature|SecurityToken|AccessKeySecret|BearerToken|secret_key|security_token)=[^&\s,"']*/gi,
        `$1=${MASK}`,
      )
      .replace(
        /\b(x-acs-security-token|x-acs-bearer-token|authorization)(["']?\s*[:=]\s*["']?)[^"'\r\n,}]*/gi,
        `$1$2${MASK}`,
      )
  );
}

function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Names every way to give alisg credentials; used when none are found. */
export function missingCredentialsMessage(reason?: string, source = "credential chain"): string {
  const why = reason ? ` (${source}: ${reason})` : "";
  return (
    "no Alibaba Cloud credentials found" +
    why +
    ". Set access_key and secret_key in the provider block, or the environment variables " +
    "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY); " +
    "add security_token / ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials; " +
    "or set profile / ALIBABA_CLOUD_PROFILE to use a profile of ~/.aliyun/config.json"
  );
}
