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
  const schemeAt = text.indexOf("://");
  if (schemeAt >= 0 && !/^[a-z][a-z0-9+.-]*$/i.test(text.slice(0, schemeAt))) {
    throw new Error(
      invalid(endpoint, `${JSON.stringify(text.slice(0, schemeAt))} is not a URL scheme; use http or https`),
    );
  }
  const withScheme = schemeAt >= 0 ? text : `https://${text}`;
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
  // Letters, digits, '-' and '.' (a name or IPv4), or a bracketed IPv6 address.
  if (!/^([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+\.?$|^\[[0-9A-Fa-f:.]+\]$/.test(url.hostname)) {
    throw new Error(invalid(endpoint, `${JSON.stringify(url.hostname)} is not a host name or IP address`));
  }
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
  return `Invalid ECS endpoint ${JSON.stringify(endpoint)}: ${why}. Use a full URL such as https://ecs.cn-hangzhou.aliyuncs.com or http://127.0.0.1:4599.`;
}
