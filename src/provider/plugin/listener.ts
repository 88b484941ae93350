import { randomBytes } from "node:crypto";
import { unlinkSync } from "node:fs";
import { createServer, type Socket } from "node:net";
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
    server.listen(path, () => {
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
