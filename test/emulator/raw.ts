/**
 * Hand-made signed requests, for the cases the SDK cannot produce
 * (tampering, stale timestamps, reused nonces). Signed with the emulator's
 * own signer, which the SDK-driven tests show to agree with the SDK.
 */
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { acs3Authorization, EMPTY_BODY_SHA256, percentEncode, signRpcV1 } from "../../src/emulator/signature";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET } from "./world";

export interface RawResponse {
  status: number;
  body: Record<string, unknown>;
}

/** `yyyy-MM-ddTHH:mm:ssZ` */
export function timestamp(at = new Date()): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function query(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join("&");
}

/** All parameters of a v1 (HMAC-SHA1) request, signed. */
export function v1Params(
  action: string,
  params: Record<string, string>,
  options: {
    accessKeyId?: string;
    secret?: string;
    nonce?: string;
    timestamp?: string;
    method?: string;
  } = {},
): Record<string, string> {
  const all: Record<string, string> = {
    Action: action,
    Version: "2014-05-26",
    Format: "JSON",
    AccessKeyId: options.accessKeyId ?? ACCESS_KEY_ID,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: options.nonce ?? randomUUID(),
    Timestamp: options.timestamp ?? timestamp(),
    ...params,
  };
  all.Signature = signRpcV1(all, options.method ?? "POST", options.secret ?? ACCESS_KEY_SECRET);
  return all;
}

/** One HTTP request with exactly the given headers (fetch would add or forbid some, like host). */
export function send(
  url: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${init.path ?? "/"}`,
      { method: init.method ?? "POST", headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          });
        });
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** POSTs a v1-signed request with everything in the query string. */
export function sendV1(url: string, params: Record<string, string>): Promise<RawResponse> {
  return send(url, { path: `/?${query(params)}` });
}

/** Headers of an ACS3-signed POST with the given action parameters in the query string. */
export function acs3Headers(
  url: string,
  action: string,
  params: Record<string, string>,
  options: { accessKeyId?: string; secret?: string; nonce?: string; date?: string } = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    host: new URL(url).host,
    "x-acs-action": action,
    "x-acs-version": "2014-05-26",
    "x-acs-date": options.date ?? timestamp(),
    "x-acs-signature-nonce": options.nonce ?? randomUUID(),
    "x-acs-content-sha256": EMPTY_BODY_SHA256,
  };
  const parts = {
    method: "POST",
    path: "/",
    query: Object.entries(params),
    headers,
    signedHeaders: Object.keys(headers),
    payloadHash: EMPTY_BODY_SHA256,
  };
  headers.authorization = acs3Authorization(
    parts,
    options.accessKeyId ?? ACCESS_KEY_ID,
    options.secret ?? ACCESS_KEY_SECRET,
  );
  return headers;
}
