/** Calls the emulator through the official SDK core, exactly as the generated ECS client would. */
import Client, { $OpenApiUtil } from "@alicloud/openapi-core";
import { RuntimeOptions } from "@darabonba/typescript";

export interface SdkOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  /** "v2" = HMAC-SHA1 signature v1 (query signing); default ACS3-HMAC-SHA256. */
  signatureAlgorithm?: "v2";
  regionId?: string;
}

export type SdkCall = (action: string, query?: Record<string, string>) => Promise<Record<string, unknown>>;

/** A function that performs one signed call and resolves to the response body. */
export function sdkClient(url: string, options: SdkOptions = {}): SdkCall {
  const client = new Client(
    new $OpenApiUtil.Config({
      accessKeyId: options.accessKeyId ?? "test",
      accessKeySecret: options.accessKeySecret ?? "test",
      securityToken: options.securityToken,
      endpoint: new URL(url).host,
      protocol: "http",
      regionId: options.regionId ?? "cn-hangzhou",
      signatureAlgorithm: options.signatureAlgorithm,
    }),
  );
  return async (action, query = {}) => {
    const params = new $OpenApiUtil.Params({
      action,
      version: "2014-05-26",
      protocol: "HTTP",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const result = await client.callApi(
      params,
      new $OpenApiUtil.OpenApiRequest({ query }),
      new RuntimeOptions({}),
    );
    return result.body as Record<string, unknown>;
  };
}

/** The error an SDK call failed with: its code and HTTP status (and the raw body). */
export async function failure(
  call: Promise<unknown>,
): Promise<{ code: string; statusCode: number; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (err) {
    const e = err as { code?: string; statusCode?: number; data?: Record<string, unknown> };
    return { code: String(e.code), statusCode: Number(e.statusCode), data: e.data ?? {} };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
