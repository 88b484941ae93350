/**
 * The emulator's HTTP server: the ECS RPC API at `/` and the admin API under
 * `/_emulator/`, on one port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_PREFIX, handleAdmin, isLocalAdminRequest } from "./admin";
import { EmulatorEngine } from "./engine";
import type { SignedRequest } from "./signature";
import { defaultState, parseState, type EmulatorSeed, type EmulatorState } from "./state";

export { loadSeedFile } from "./seed-file";
export { EmulatorStateError, parseState } from "./state";
export type { EmulatorSeed, EmulatorState } from "./state";
export type { CallRecord } from "./call-log";
export type { FaultSettings } from "./faults";

export interface EmulatorOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks any free port. @default 0 */
  port?: number;
  /** The initial world; validated like a seed file. @default region cn-hangzhou, key test/test, nothing else */
  seed?: EmulatorSeed | EmulatorState;
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:4599` (the actual port when 0 was asked). */
  url: string;
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
  /** A snapshot of the world, in the seed format. */
  state(): EmulatorState;
}

/** Largest request body accepted, API or admin. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Starts the emulator. Rejects with an `EmulatorStateError` for an invalid seed, or the listen error. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const engine = new EmulatorEngine(
    options.seed === undefined ? defaultState() : parseState(options.seed, "seed"),
  );

  const server = createServer((req, res) => {
    serve(engine, req, res).catch((err: unknown) => {
      // Last resort: the handlers answer every error themselves.
      if (!res.headersSent) sendJson(res, 500, { Code: "InternalError", Message: String(err) });
      else res.destroy();
    });
  });
  // A request Node cannot parse (headers or URL too large, bad syntax) still gets a JSON error body.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const [status, reason, code, message] = tooLarge
      ? [
          431,
          "Request Header Fields Too Large",
          "RequestHeaderTooLarge",
          "The request line and headers exceed the server's limit (16 KB); send fewer or shorter parameters.",
        ]
      : [400, "Bad Request", "MalformedRequest", "The request is not valid HTTP/1.1."];
    const text = JSON.stringify({ Code: code, Message: message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: application/json;charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    state: () => engine.state(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function serve(engine: EmulatorEngine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      sendJson(res, 413, { Code: "RequestTooLarge", Message: err.message });
    else res.destroy(); // the client went away mid-request
    return;
  }
  const rawUrl = req.url ?? "/";
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const method = req.method ?? "GET";

  if (path.startsWith(ADMIN_PREFIX) || path === ADMIN_PREFIX.slice(0, -1)) {
    if (!isLocalAdminRequest(req.socket.remoteAddress, req.headers)) {
      sendJson(res, 403, {
        Code: "Forbidden",
        Message: "The admin API answers loopback clients only (loopback Host, no browser Origin).",
      });
      return;
    }
    const answer = handleAdmin(engine, method, path, body.toString("utf8"));
    if (answer.body === undefined) {
      res.writeHead(answer.httpStatus).end();
    } else {
      sendJson(res, answer.httpStatus, answer.body);
    }
    return;
  }

  const contentType = String(req.headers["content-type"] ?? "");
  const request: SignedRequest = {
    method,
    path,
    query: parsePairs(queryAt < 0 ? "" : rawUrl.slice(queryAt + 1)),
    form: contentType.startsWith("application/x-www-form-urlencoded")
      ? parsePairs(body.toString("utf8"))
      : [],
    headers: flattenHeaders(req),
    body,
  };
  const answer = await engine.handle(request);
  sendJson(res, answer.httpStatus, answer.body, { "x-acs-request-id": answer.requestId });
}

/** `a=1&b=%20` -> pairs, decoding `+` as a space; an undecodable escape is kept as written. */
function parsePairs(text: string): [string, string][] {
  if (text === "") return [];
  return text
    .split("&")
    .filter((part) => part !== "")
    .map((part) => {
      const eq = part.indexOf("=");
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      return [decode(key), decode(value)];
    });
}

function decode(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Header values by lower-case name; repeated headers joined with ",". */
function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`The request body exceeds ${MAX_BODY_BYTES} bytes.`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json;charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
