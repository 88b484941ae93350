/**
 * One HTTP attempt of an ECS RPC action through the official SDK core
 * (`@alicloud/openapi-core`'s generic `callApi`), with the SDK's own retries
 * off. The SDK is loaded on the first call, not when this module is loaded:
 * the provider process that uses it is started many times per Terraform run.
 */
import type * as OpenApiCore from "@alicloud/openapi-core";
import type * as AlicloudCredentials from "@alicloud/credentials";
import { resolveEndpoint, type ResolvedEndpoint } from "./endpoint";
import {
  ApiCallError,
  CLIENT_CODES,
  NETWORK_FAULT_CODES,
  missingCredentialsMessage,
  redactSecrets,
  type AccessDenied,
} from "./errors";
import type { EcsClientConfig } from "./types";

export const ECS_API_VERSION = "2014-05-26";

/** How long to wait for a response once connected. */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 10_000;
/** How long making the connection may take. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Sends one attempt of an RPC action; the client layers retries and meaning on top. */
export interface RpcTransport {
  /**
   * Resolves with the response JSON; rejects with an ApiCallError (already
   * free of secrets) for an API error, a network fault or missing credentials.
   */
  call(action: string, query: Readonly<Record<string, string>>): Promise<Record<string, unknown>>;
}

type OpenApiClient = InstanceType<typeof OpenApiCore.default>;
type CredentialClient = InstanceType<typeof AlicloudCredentials.default>;
type RuntimeOptions = Parameters<OpenApiClient["callApi"]>[2];

interface Loaded {
  readonly sdk: typeof OpenApiCore;
  readonly client: OpenApiClient;
  /** Set when credentials come from a profile or the default chain. */
  readonly credential?: CredentialClient;
}

export class SdkTransport implements RpcTransport {
  private loading?: Promise<Loaded>;
  private readonly endpoint: ResolvedEndpoint;
  /** The endpoint as a URL, for messages. */
  readonly endpointUrl: string;

  constructor(private readonly config: EcsClientConfig) {
    // Validated now so that a bad endpoint fails at configuration, not on the first call.
    this.endpoint = resolveEndpoint(config.regionId, config.endpoint);
    this.endpointUrl = `${this.endpoint.protocol}://${this.endpoint.host}`;
  }

  async call(action: string, query: Readonly<Record<string, string>>): Promise<Record<string, unknown>> {
    const { sdk, client, credential } = await this.load();
    const secrets: (string | undefined)[] = [
      this.config.credentials?.accessKeySecret,
      this.config.credentials?.securityToken,
    ];
    if (credential) {
      // Resolved here too (the SDK resolves it again, from the provider's cache) so that a
      // missing credential gets a clear message and chain-provided secrets can be redacted.
      try {
        const model = await credential.getCredential();
        secrets.push(model.accessKeySecret, model.securityToken, model.bearerToken);
      } catch (e) {
        const reason = redactSecrets(e instanceof Error ? e.message : String(e), secrets);
        throw new ApiCallError(
          CLIENT_CODES.missingCredentials,
          missingCredentialsMessage(reason),
          null,
          null,
        );
      }
    }
    const params = new sdk.$OpenApiUtil.Params({
      action,
      version: ECS_API_VERSION,
      protocol: this.endpoint.protocol.toUpperCase(),
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const request = new sdk.$OpenApiUtil.OpenApiRequest({ query: { ...query } });
    // openapi-core reads only plain fields of the runtime options; its retries come from Config.
    const runtime = {} as RuntimeOptions;
    let response: Record<string, unknown>;
    try {
      response = await client.callApi(params, request, runtime);
    } catch (e) {
      throw toApiCallError(e, secrets);
    }
    const body = response.body;
    return body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  }

  private load(): Promise<Loaded> {
    if (!this.loading) {
      this.loading = this.create().catch((e: unknown) => {
        this.loading = undefined;
        throw e;
      });
    }
    return this.loading;
  }

  private async create(): Promise<Loaded> {
    const sdk = cjsNamespace(await import("@alicloud/openapi-core"), "$OpenApiUtil");
    const c = this.config;
    const staticKeys = c.credentials;
    let credential: CredentialClient | undefined;
    if (!staticKeys) {
      const creds = cjsNamespace(await import("@alicloud/credentials"), "CLIProfileCredentialsProvider");
      // openapi-core only falls back to the default chain when it is given a Credential object.
      credential = c.profile
        ? new creds.default(
            null,
            creds.CLIProfileCredentialsProvider.builder().withProfileName(c.profile).build(),
          )
        : new creds.default();
    }
    const config = new sdk.$OpenApiUtil.Config({
      regionId: c.regionId,
      endpoint: this.endpoint.host,
      protocol: this.endpoint.protocol,
      signatureAlgorithm: c.signatureAlgorithm ?? "ACS3-HMAC-SHA256",
      // The SDK's HTTP library runs two timers: `readTimeout` from the moment the connection is
      // made, and `connectTimeout` as an idle timer over the whole attempt. The idle timer must
      // outlast the response timer, or a silent endpoint would be reported as a connect timeout.
      readTimeout: c.readTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
      connectTimeout:
        (c.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) + (c.readTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS),
      userAgent: "alisg",
      // No SDK retries: alisg retries itself, with its own classification and budget.
      retryOptions: undefined,
      ...(staticKeys
        ? {
            accessKeyId: staticKeys.accessKeyId,
            accessKeySecret: staticKeys.accessKeySecret,
            ...(staticKeys.securityToken ? { securityToken: staticKeys.securityToken } : {}),
          }
        : { credential }),
    });
    return { sdk, client: new sdk.default(config), credential };
  }
}

function field(e: object, name: string): unknown {
  return (e as Record<string, unknown>)[name];
}

/** A meaningful string, or undefined for absent / "undefined" / "null" (the SDK stringifies missing values). */
function text(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  return s === "" || s === "undefined" || s === "null" ? undefined : s;
}

/**
 * Turns whatever the SDK threw into an ApiCallError built only from
 * sanitised parts: the SDK's error can echo the signed request URL, which
 * with the v2 signature holds the signature and the STS token.
 */
export function toApiCallError(e: unknown, secrets: readonly (string | undefined)[]): ApiCallError {
  if (e instanceof ApiCallError) return e;
  if (e === null || typeof e !== "object") {
    return new ApiCallError(CLIENT_CODES.unknown, redactSecrets(String(e), secrets), null, null);
  }
  const clean = (s: string) => redactSecrets(s, secrets);
  const name = text(field(e, "name")) ?? "";
  const rawMessage = text(field(e, "message")) ?? "";
  const rawCode = text(field(e, "code"));
  const status = field(e, "statusCode");
  const httpStatus = typeof status === "number" && Number.isFinite(status) ? status : null;
  const data = field(e, "data");

  // An HTTP error answer of the API: the SDK puts the parsed body in `data`.
  if (httpStatus !== null || (data !== null && typeof data === "object")) {
    const body = (data ?? {}) as Record<string, unknown>;
    const code =
      text(body.Code) ??
      text(body.code) ??
      rawCode ??
      (httpStatus !== null ? `Http${httpStatus}` : CLIENT_CODES.unknown);
    const requestId = text(body.RequestId) ?? text(body.requestId) ?? text(field(e, "requestId")) ?? null;
    const apiMessage = text(body.Message) ?? text(body.message) ?? stripSdkPrefix(rawMessage);
    const retryAfter = field(e, "retryAfter");
    const retryAfterMs =
      typeof retryAfter === "number" && Number.isFinite(retryAfter) ? retryAfter : undefined;
    if (code === "InvalidCredentials") {
      return new ApiCallError(CLIENT_CODES.missingCredentials, missingCredentialsMessage(), null, null);
    }
    return new ApiCallError(
      code,
      clean(apiMessage),
      httpStatus,
      requestId,
      retryAfterMs,
      accessDeniedOf(body, clean),
    );
  }
  // A transport fault: Node's socket errors carry a code; the SDK's HTTP library names its timeouts.
  if (rawCode && NETWORK_FAULT_CODES.has(rawCode)) {
    return new ApiCallError(rawCode, clean(networkMessage(rawMessage)), null, null);
  }
  // The HTTP library's timers: `ReadTimeout(ms)` after connecting, `ConnectTimeout` for its idle timer.
  if (/timeout/i.test(name)) {
    const code = /ReadTimeout/.test(rawMessage) ? CLIENT_CODES.responseTimeout : "ConnectTimeout";
    return new ApiCallError(code, clean(networkMessage(rawMessage)), null, null);
  }
  if (name === "SyntaxError") {
    return new ApiCallError(
      "InvalidResponse",
      `the response body was not valid JSON (${clean(rawMessage)})`,
      null,
      null,
    );
  }
  return new ApiCallError(
    rawCode ?? CLIENT_CODES.unknown,
    clean(rawMessage || name || "unknown error"),
    null,
    null,
  );
}

/** `AccessDeniedDetail` of a RAM refusal, when the body has one (strings only, cleaned). */
function accessDeniedOf(
  body: Record<string, unknown>,
  clean: (s: string) => string,
): AccessDenied | undefined {
  const raw = body.AccessDeniedDetail;
  if (raw === null || typeof raw !== "object") return undefined;
  const detail = raw as Record<string, unknown>;
  const authAction = text(detail.AuthAction);
  if (!authAction) return undefined;
  const principalType = text(detail.AuthPrincipalType);
  const principalName = text(detail.AuthPrincipalDisplayName);
  return {
    authAction: clean(authAction),
    ...(principalType ? { principalType: clean(principalType) } : {}),
    ...(principalName ? { principalName: clean(principalName) } : {}),
  };
}

/** The SDK formats messages as `code: 400, <Message> request id: <id>`; keep only the API's message. */
function stripSdkPrefix(message: string): string {
  return message.replace(/^code: \d+, /, "").replace(/ request id: \S*$/, "");
}

/** The SDK's HTTP library glues `<METHOD> <url> failed.` onto Node's message; keep it readable. */
function networkMessage(message: string): string {
  return message.replace(/(\S)((?:GET|POST|PUT|DELETE) https?:\/\/)/, "$1; $2");
}

/**
 * The module namespace of a CommonJS package loaded with `import()`, whatever
 * loaded it: tsc's interop gives the exports themselves, while an ES-module
 * bundle (the provider) gives them under `default`. `marker` is an export the
 * exports object is known to have.
 */
function cjsNamespace<T extends object>(mod: T, marker: string): T {
  if (marker in mod) return mod;
  const inner = (mod as { default?: unknown }).default;
  return typeof inner === "object" && inner !== null && marker in inner ? (inner as T) : mod;
}
