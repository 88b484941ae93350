/** Where the client sends its requests, in the two parts the SDK wants. */
export interface ResolvedEndpoint {
  readonly protocol: "http" | "https";
  /** `host` or `host:port`, as the SDK's `Config.endpoint` and the `host` header take it. */
  readonly host: string;
}

/**
 * `https://ecs.<region>.aliyuncs.com` by default; otherwise the configured
 * full URL (`http://127.0.0.1:4599`) split into protocol and host[:port].
 * A bare host is taken as https. Throws on anything else (paths, other schemes).
 */
export function resolveEndpoint(regionId: string, endpoint?: string): ResolvedEndpoint {
  if (endpoint === undefined || endpoint.trim() === "") {
    return { protocol: "https", host: `ecs.${regionId}.aliyuncs.com` };
  }
  const text = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(invalid(endpoint, "it is not a URL"));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(
      invalid(endpoint, `the scheme must be http or https, not ${url.protocol.replace(":", "")}`),
    );
  }
  if (url.hostname === "") throw new Error(invalid(endpoint, "it has no host"));
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw new Error(
      invalid(endpoint, "ECS RPC calls go to the root path, so the URL may not have a path or query"),
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new Error(invalid("(redacted)", "it may not carry user information"));
  }
  return { protocol: url.protocol === "http:" ? "http" : "https", host: url.host };
}

function invalid(endpoint: string, why: string): string {
  return `Invalid ECS endpoint "${endpoint}": ${why}. Use a full URL such as https://ecs.cn-hangzhou.aliyuncs.com or http://127.0.0.1:4599.`;
}
