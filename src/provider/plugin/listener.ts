import { randomBytes } from "node:crypto";
import { unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ListenAddress } from "./handshake";

/**
 * The unix socket Terraform connects to, bound before the gRPC stack is
 * loaded: the handshake line can go out as soon as the socket accepts
 * connections, and gRPC takes them over when it is ready (`attach`).
 * Connections that arrive in between wait, unread.
 */
export interface TerraformListener {
  readonly address: ListenAddress;
  /** Hands every connection to `accept`: those that arrived already, then each new one. */
  attach(accept: (socket: Socket) => void): void;
  /** Stops accepting connections. */
  close(): void;
}

/** Listens on `$TMPDIR/plugin<random>`; the socket file is removed when the process exits. */
export function listenOnUnixSocket(): Promise<TerraformListener> {
  const path = join(tmpdir(), `plugin${randomBytes(8).toString("hex")}`);
  process.on("exit", () => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  });
  const waiting: Socket[] = [];
  let accept: ((socket: Socket) => void) | undefined;
  const server = createServer((socket) => {
    if (accept) accept(socket);
    else waiting.push(socket);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    listen(server, path, () => {
      server.off("error", reject);
      resolve({
        address: { network: "unix", address: path },
        attach(next) {
          accept = next;
          for (const socket of waiting.splice(0)) next(socket);
        },
        close: () => server.close(),
      });
    });
  });
}

/** What `net.Server` sets up a listening handle with, without going through `listen`. */
type DirectListen = (address: string, port: -1, addressType: -1, backlog: number) => void;

/**
 * `server.listen(path, ready)`, without its detour through `node:cluster`:
 * `listen` loads the cluster module (and child_process and dgram with it) to
 * ask whether this process is a cluster worker, about 3 ms of CPU at every
 * start (docs/provider-plugin.md). A provider never is one, so it calls the
 * step `listen` takes in a cluster's primary process, `_listen2`, which Node
 * keeps under that name for code that wraps it; `listen` where it is missing.
 */
function listen(server: Server, path: string, ready: () => void): void {
  const direct = (server as unknown as { _listen2?: DirectListen })._listen2;
  if (typeof direct !== "function") {
    server.listen(path, ready);
    return;
  }
  server.once("listening", ready);
  direct.call(server, path, -1, -1, 511);
}
