import { homedir } from "node:os";
import { join } from "node:path";

/** alisg's directory under the user's XDG cache directory (`~/.cache/alisg` by default). */
export function alisgCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "alisg");
}
