/**
 * The admin API under `/_emulator/`: plain JSON, unsigned, for tests and
 * demos to read and change the world out of band, read the call log and
 * inject faults. The server only lets loopback peers reach it.
 */
import type { EmulatorEngine } from "./engine";
import { parseFaultSettings } from "./faults";
import { EmulatorStateError, parseState } from "./state";

export const ADMIN_PREFIX = "/_emulator/";

export interface AdminResponse {
  httpStatus: number;
  /** undefined: no body (204). */
  body?: unknown;
}

/** The admin API is unsigned, so only clients on this machine may use it. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/**
 * Whether a request may use the admin API: it comes from this machine, names a
 * loopback host, and is not a browser's (no Origin header). The last two keep a
 * web page that rebinds a DNS name to 127.0.0.1 from reading the keys in the state.
 */
export function isLocalAdminRequest(
  remoteAddress: string | undefined,
  headers: { host?: string; origin?: string },
): boolean {
  if (!isLoopback(remoteAddress) || headers.origin !== undefined) return false;
  const host = (headers.host ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const PATCHABLE = ["status", "lockReasons", "securityGroupIds"];
const ENI_PATCHABLE = ["status", "securityGroupIds", "instanceId"];

class AdminError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly problems?: readonly string[],
  ) {
    super(message);
  }
}

/** Routes one admin request. Never throws. */
export function handleAdmin(
  engine: EmulatorEngine,
  method: string,
  path: string,
  rawBody: string,
): AdminResponse {
  try {
    return route(engine, method, path, rawBody);
  } catch (err) {
    if (err instanceof AdminError) {
      return {
        httpStatus: err.httpStatus,
        body: { Code: err.code, Message: err.message, ...(err.problems ? { Problems: err.problems } : {}) },
      };
    }
    if (err instanceof EmulatorStateError) {
      return {
        httpStatus: 400,
        body: { Code: "InvalidState", Message: err.message, Problems: err.problems },
      };
    }
    return {
      httpStatus: 500,
      body: { Code: "InternalError", Message: err instanceof Error ? err.message : String(err) },
    };
  }
}

function route(engine: EmulatorEngine, method: string, path: string, rawBody: string): AdminResponse {
  const resource = path.slice(ADMIN_PREFIX.length).replace(/\/+$/, "");
  if (resource === "state") {
    if (method === "GET") return ok(engine.state());
    if (method === "PUT") {
      engine.replaceState(parseState(parseJson(rawBody), "PUT /_emulator/state body"));
      return ok(engine.state());
    }
    return notAllowed(method, path, "GET, PUT");
  }
  if (resource === "calls") {
    if (method === "GET") return ok(engine.calls.list());
    if (method === "DELETE") {
      engine.calls.clear();
      return { httpStatus: 204 };
    }
    return notAllowed(method, path, "GET, DELETE");
  }
  if (resource === "faults") {
    if (method === "GET") return ok(engine.faults.current());
    if (method === "PUT") {
      try {
        engine.faults.configure(parseFaultSettings(parseJson(rawBody)));
      } catch (err) {
        if (err instanceof AdminError) throw err;
        throw new AdminError(400, "InvalidFaults", (err as Error).message);
      }
      return ok(engine.faults.current());
    }
    if (method === "DELETE") {
      engine.faults.configure(parseFaultSettings({}));
      return { httpStatus: 204 };
    }
    return notAllowed(method, path, "GET, PUT, DELETE");
  }
  const instance = /^instances\/([^/]+)$/.exec(resource);
  if (instance) {
    let instanceId: string;
    try {
      instanceId = decodeURIComponent(instance[1]);
    } catch {
      throw new AdminError(
        400,
        "InvalidInstanceId.Malformed",
        `The instance ID in ${path} is not valid URL encoding.`,
      );
    }
    if (method === "GET") return ok(findInstance(engine, instanceId));
    if (method === "PATCH") return ok(patchInstance(engine, instanceId, parseJson(rawBody)));
    return notAllowed(method, path, "GET, PATCH");
  }
  const eni = /^network-interfaces\/([^/]+)$/.exec(resource);
  if (eni) {
    let eniId: string;
    try {
      eniId = decodeURIComponent(eni[1]);
    } catch {
      throw new AdminError(
        400,
        "InvalidEniId.Malformed",
        `The network interface ID in ${path} is not valid URL encoding.`,
      );
    }
    if (method === "GET") return ok(findNetworkInterface(engine, eniId));
    if (method === "PATCH") return ok(patchNetworkInterface(engine, eniId, parseJson(rawBody)));
    return notAllowed(method, path, "GET, PATCH");
  }
  throw new AdminError(404, "NotFound", `No admin endpoint ${path}; see docs/emulator.md for the list.`);
}

/** The body of a PATCH: an object with only the fields that may be changed. */
function checkPatch(patch: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new AdminError(
      400,
      "InvalidPatch",
      `The body must be a JSON object with any of ${allowed.join(", ")}.`,
    );
  }
  const unknown = Object.keys(patch).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new AdminError(
      400,
      "InvalidPatch",
      `Cannot change ${unknown.join(", ")}; only ${allowed.join(", ")} can be patched.`,
    );
  }
  return patch as Record<string, unknown>;
}

function patchInstance(engine: EmulatorEngine, instanceId: string, body: unknown) {
  const patch = checkPatch(body, PATCHABLE);
  findInstance(engine, instanceId);
  const state = engine.state();
  const groups = patch.securityGroupIds;
  const candidate = {
    ...state,
    instances: state.instances.map((i) => (i.instanceId === instanceId ? { ...i, ...patch } : i)),
    // The instance's groups are its primary ENI's: one list, changed in both places.
    networkInterfaces: state.networkInterfaces.map((n) =>
      groups !== undefined && n.type === "Primary" && n.instanceId === instanceId
        ? { ...n, securityGroupIds: groups }
        : n,
    ),
  };
  // The whole world is validated again, so a patch cannot break an invariant (unknown group, other VPC, ...).
  engine.replaceState(parseState(candidate, `PATCH /_emulator/instances/${instanceId} body`));
  return findInstance(engine, instanceId);
}

function patchNetworkInterface(engine: EmulatorEngine, eniId: string, body: unknown) {
  const patch = checkPatch(body, ENI_PATCHABLE);
  const before = findNetworkInterface(engine, eniId);
  const state = engine.state();
  const groups = patch.securityGroupIds;
  const sharedWith = before.type === "Primary" ? before.instanceId : null;
  const candidate = {
    ...state,
    instances: state.instances.map((i) =>
      groups !== undefined && i.instanceId === sharedWith ? { ...i, securityGroupIds: groups } : i,
    ),
    networkInterfaces: state.networkInterfaces.map((n) =>
      n.networkInterfaceId === eniId ? { ...n, ...patch } : n,
    ),
  };
  engine.replaceState(parseState(candidate, `PATCH /_emulator/network-interfaces/${eniId} body`));
  return findNetworkInterface(engine, eniId);
}

function findNetworkInterface(engine: EmulatorEngine, eniId: string) {
  const eni = engine.state().networkInterfaces.find((n) => n.networkInterfaceId === eniId);
  if (!eni) {
    throw new AdminError(404, "NetworkInterfaceNotFound", `No network interface ${eniId} in the emulator.`);
  }
  return eni;
}

function findInstance(engine: EmulatorEngine, instanceId: string) {
  const inst = engine.state().instances.find((i) => i.instanceId === instanceId);
  if (!inst) throw new AdminError(404, "InstanceNotFound", `No instance ${instanceId} in the emulator.`);
  return inst;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new AdminError(400, "InvalidJson", `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

function ok(body: unknown): AdminResponse {
  return { httpStatus: 200, body };
}

function notAllowed(method: string, path: string, allowed: string): AdminResponse {
  throw new AdminError(405, "MethodNotAllowed", `${method} is not supported on ${path}; use ${allowed}.`);
}
