/**
 * Request signatures as the official SDK core (`@alicloud/openapi-core`)
 * computes them, so that the emulator checks exactly what the SDK sends:
 *
 * - ACS3-HMAC-SHA256 (the SDK's default): an `Authorization` header over a
 *   canonical request made of the method, path, sorted query, the `host`,
 *   `content-type` and `x-acs-*` headers and the SHA-256 of the body.
 * - HMAC-SHA1 "signature v1" (the SDK's `signatureAlgorithm: "v2"`): a
 *   `Signature` query parameter over every other parameter, query and form body.
 *
 * The signing functions are exported so that tests and tools can produce
 * requests the same way the verifier checks them.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ApiError } from "./api-error";
import type { AccessKey } from "./state";

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** RFC 3986 percent-encoding as the SDK does it: unreserved `A-Z a-z 0-9 - _ . ~` kept, everything else encoded. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

// ---------------------------------------------------------------- signature v1

/** `METHOD&%2F&percentEncode(sorted, encoded k=v pairs)`; `Signature` itself is never signed. */
export function rpcV1StringToSign(params: Readonly<Record<string, string>>, method: string): string {
  const canonical = Object.keys(params)
    .filter((key) => key !== "Signature")
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key])}`)
    .join("&");
  return `${method}&${percentEncode("/")}&${percentEncode(canonical)}`;
}

/** Base64(HMAC-SHA1(secret + "&", string to sign)). */
export function signRpcV1(params: Readonly<Record<string, string>>, method: string, secret: string): string {
  return createHmac("sha1", `${secret}&`).update(rpcV1StringToSign(params, method)).digest("base64");
}

// ------------------------------------------------------------ ACS3-HMAC-SHA256

export interface Acs3Parts {
  method: string;
  /** The request path, e.g. `/`. */
  path: string;
  /** Decoded query pairs, in any order. */
  query: readonly (readonly [string, string])[];
  /** Header values by lower-case name. */
  headers: Readonly<Record<string, string>>;
  /** Lower-case names of the signed headers. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body (the `x-acs-content-sha256` header). */
  payloadHash: string;
}

export function acs3CanonicalRequest(parts: Acs3Parts): string {
  const query = [...parts.query]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join("&");
  const names = [...parts.signedHeaders].sort();
  const headers = names.map((name) => `${name}:${(parts.headers[name] ?? "").trim()}\n`).join("");
  return [parts.method, parts.path, query, headers, names.join(";"), parts.payloadHash].join("\n");
}

export function acs3StringToSign(parts: Acs3Parts): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(acs3CanonicalRequest(parts))}`;
}

/** Hex HMAC-SHA256(secret, string to sign). */
export function signAcs3(parts: Acs3Parts, secret: string): string {
  return createHmac("sha256", secret).update(acs3StringToSign(parts)).digest("hex");
}

/** The `Authorization` header value for signed parts. */
export function acs3Authorization(parts: Acs3Parts, accessKeyId: string, secret: string): string {
  const names = [...parts.signedHeaders].sort().join(";");
  return `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${names},Signature=${signAcs3(parts, secret)}`;
}

// ------------------------------------------------------------------ verifying

/** A received request, reduced to what signatures cover. */
export interface SignedRequest {
  method: string;
  path: string;
  /** Decoded query pairs in wire order. */
  query: readonly (readonly [string, string])[];
  /** Decoded `application/x-www-form-urlencoded` body pairs (empty otherwise). */
  form: readonly (readonly [string, string])[];
  /** Header values by lower-case name. */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

/** What a verified signature vouches for; the caller checks time and nonce (see replay.ts). */
export interface Credentials {
  accessKeyId: string;
  nonce: string;
  /** As sent: `x-acs-date` or `Timestamp`. */
  timestamp: string;
}

/** Which scheme a request uses, judged from its shape; `none` when it carries no signature at all. */
export function signatureStyle(req: SignedRequest): "acs3" | "v1" | "none" {
  const auth = req.headers.authorization;
  if (auth !== undefined && auth.trim() !== "") return "acs3";
  if (allParams(req).Signature !== undefined) return "v1";
  return "none";
}

/** Query and form parameters as one map (form wins), as the SDK signs them. */
export function allParams(req: SignedRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of [...req.query, ...req.form]) params[key] = value;
  return params;
}

const REQUIRED_ACS3_HEADERS = [
  "host",
  "x-acs-action",
  "x-acs-version",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
];

/**
 * Checks the request's signature against the known keys. Throws
 * `IncompleteSignature` (400) when pieces are missing or malformed,
 * `InvalidAccessKeyId.NotFound` (404) for an unknown key,
 * `InvalidSecurityToken.MismatchWithAccessKey` (400) for a wrong/missing STS token,
 * `SignatureDoesNotMatch` (400) when the signature is wrong.
 */
export function verifySignature(req: SignedRequest, keys: readonly AccessKey[]): Credentials {
  const style = signatureStyle(req);
  if (style === "acs3") return verifyAcs3(req, keys);
  if (style === "v1") return verifyV1(req, keys);
  throw incomplete(
    "the request is not signed: send an Authorization header (ACS3-HMAC-SHA256) or a Signature parameter (HMAC-SHA1)",
  );
}

function verifyAcs3(req: SignedRequest, keys: readonly AccessKey[]): Credentials {
  const auth = req.headers.authorization.trim();
  const space = auth.indexOf(" ");
  const algorithm = space < 0 ? auth : auth.slice(0, space);
  if (algorithm !== ACS3_ALGORITHM) {
    throw incomplete(
      `unsupported signature algorithm ${JSON.stringify(algorithm)}; the emulator verifies ${ACS3_ALGORITHM} and HMAC-SHA1`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of auth.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaderList = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || !signedHeaderList || !signature) {
    throw incomplete(
      "the Authorization header must be `ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b>,Signature=<hex>`",
    );
  }
  const signedHeaders = signedHeaderList.split(";").map((h) => h.trim().toLowerCase());
  for (const name of REQUIRED_ACS3_HEADERS) {
    if (req.headers[name] === undefined) throw incomplete(`the ${name} header is missing`);
  }
  // Every common header that is present must be signed, as the service requires.
  for (const name of Object.keys(req.headers)) {
    if (
      (name === "host" || name === "content-type" || name.startsWith("x-acs-")) &&
      !signedHeaders.includes(name)
    ) {
      throw incomplete(`the ${name} header is present but not listed in SignedHeaders`);
    }
  }
  const key = findKey(keys, accessKeyId);

  const payloadHash = req.headers["x-acs-content-sha256"];
  if (payloadHash.toLowerCase() !== sha256Hex(req.body)) {
    throw new ApiError(
      400,
      "SignatureDoesNotMatch",
      "The x-acs-content-sha256 header does not match the SHA-256 of the request body.",
    );
  }
  const expected = signAcs3(
    {
      method: req.method,
      path: req.path,
      query: req.query,
      headers: req.headers,
      signedHeaders,
      payloadHash,
    },
    key.accessKeySecret,
  );
  if (!sameText(expected, signature.toLowerCase())) throw signatureMismatch();
  // Only a correctly signed request learns whether its token is right.
  checkSecurityToken(key, req.headers["x-acs-security-token"]);
  return {
    accessKeyId,
    nonce: req.headers["x-acs-signature-nonce"],
    timestamp: req.headers["x-acs-date"],
  };
}

function verifyV1(req: SignedRequest, keys: readonly AccessKey[]): Credentials {
  const params = allParams(req);
  for (const name of ["AccessKeyId", "SignatureNonce", "Timestamp", "SignatureMethod"]) {
    if (params[name] === undefined) throw incomplete(`the ${name} parameter is missing`);
  }
  if (params.SignatureMethod !== "HMAC-SHA1") {
    throw incomplete(`unsupported SignatureMethod ${JSON.stringify(params.SignatureMethod)}; use HMAC-SHA1`);
  }
  if (params.SignatureVersion !== undefined && params.SignatureVersion !== "1.0") {
    throw incomplete(`unsupported SignatureVersion ${JSON.stringify(params.SignatureVersion)}; use 1.0`);
  }
  const key = findKey(keys, params.AccessKeyId);
  const expected = signRpcV1(params, req.method, key.accessKeySecret);
  if (!sameText(expected, params.Signature)) throw signatureMismatch();
  checkSecurityToken(key, params.SecurityToken);
  return {
    accessKeyId: key.accessKeyId,
    nonce: params.SignatureNonce,
    timestamp: params.Timestamp,
  };
}

function findKey(keys: readonly AccessKey[], accessKeyId: string): AccessKey {
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  return key;
}

function checkSecurityToken(key: AccessKey, presented: string | undefined): void {
  if (!sameText(key.securityToken ?? "", presented ?? "")) {
    throw new ApiError(
      400,
      "InvalidSecurityToken.MismatchWithAccessKey",
      "The security token does not match the access key.",
    );
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function incomplete(detail: string): ApiError {
  return new ApiError(
    400,
    "IncompleteSignature",
    `The request signature does not conform to Alibaba Cloud standards: ${detail}.`,
  );
}

function signatureMismatch(): ApiError {
  return new ApiError(
    400,
    "SignatureDoesNotMatch",
    "Specified signature is not matched with our calculation.",
  );
}
