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

/** Codes the client gives transport faults (Node's own codes, plus one for timeouts). */
export const NETWORK_FAULT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "NetworkTimeout",
]);

/** Codes the client itself raises (never sent by the API). */
export const CLIENT_CODES = {
  missingCredentials: "MissingCredentials",
  canceled: "OperationCanceled",
  invalidConfig: "InvalidClientConfig",
  unknown: "UnknownError",
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
  }
}

export function formatEcsErrorMessage(p: Omit<EcsErrorProps, "category">): string {
  const attempts = `${p.attempts} attempt${p.attempts === 1 ? "" : "s"}`;
  const message = p.apiMessage.trim() || "no message";
  return `${p.code}: ${message} (action ${p.action}, request ${p.requestId ?? "none"}, after ${attempts})`;
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
