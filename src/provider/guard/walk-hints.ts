import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { alisgCacheDir } from "../../util/cache-dir";

/**
 * The instances (and ENIs) a Terraform run's configuration names, handed
 * from one of its provider processes to the next.
 *
 * Terraform starts a provider process per walk: `terraform plan` validates
 * every resource in one process, then plans them in another, in the order its
 * graph walk happens to take, ten at a time. The planning process cannot see
 * which instances are still to come, so its describes are as small as the
 * calls in flight (about 25 per 250 instances, see docs/benchmarks.md). The
 * validating process sees every configured instance ID: it writes them down,
 * and the next processes of the same run describe them all at configure
 * time, 100 per call, each once per process as before (the facts are as
 * fresh as those the first call would have described).
 *
 * A hint is only a prefetch: absent, stale, unreadable or unwritable, it is
 * ignored, and nothing but the describe count depends on it. It holds IDs
 * only, never configuration. The run is Terraform's process: the parent
 * process ID (the launcher execs node), with its start time where the
 * system tells it (Linux), so that a recycled PID does not read an old run's
 * file. Files of runs older than a day are removed as new ones are written.
 */
/** What an ID names: an instance or an ENI. */
export type HintKind = "instance" | "eni";

export class WalkHints {
  private readonly file: string | undefined;
  private readonly written = new Set<string>();
  private cleaned = false;

  constructor(
    /** Where hint files are kept; null: nowhere (no hints). */
    private readonly dir: string | null = defaultDir(process.env) ?? null,
    /** Which run this process belongs to; null: unknown (no hints). */
    run: string | null = runKey() ?? null,
    /** At most this many IDs are read (a prefetch beyond it is not worth its calls). */
    private readonly limit = 1000,
  ) {
    this.file = dir && run ? join(dir, `${run}.ids`) : undefined;
  }

  /** Notes an ID the configuration names (well-formed IDs only: a malformed one fails a batch). */
  record(kind: HintKind, id: string): void {
    const line = `${kind} ${id}`;
    if (!this.file || this.written.has(line)) return;
    this.written.add(line);
    try {
      if (!this.cleaned) this.clean();
      appendFileSync(this.file, `${line}\n`, { mode: 0o600 });
    } catch {
      // A hint is optional.
    }
  }

  /** The IDs earlier processes of this run noted, by kind. */
  read(): Record<HintKind, string[]> {
    const ids: Record<HintKind, Set<string>> = { instance: new Set(), eni: new Set() };
    if (this.file) {
      try {
        for (const line of readFileSync(this.file, "utf8").split("\n")) {
          const space = line.indexOf(" ");
          const kind = line.slice(0, space);
          if (space > 0 && (kind === "instance" || kind === "eni")) ids[kind].add(line.slice(space + 1));
        }
      } catch {
        // No hint: nothing to prefetch.
      }
    }
    return { instance: [...ids.instance].slice(0, this.limit), eni: [...ids.eni].slice(0, this.limit) };
  }

  private clean(): void {
    this.cleaned = true;
    mkdirSync(this.dir!, { recursive: true, mode: 0o700 });
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const f of readdirSync(this.dir!)) {
      const path = join(this.dir!, f);
      try {
        if (f.endsWith(".ids") && statSync(path).mtimeMs < dayAgo) unlinkSync(path);
      } catch {
        // Another run removed it.
      }
    }
  }
}

/** Under the user's cache directory, beside the provider's code cache; none when there is no home. */
function defaultDir(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return join(alisgCacheDir(env), "walks");
  } catch {
    return undefined;
  }
}

/** Terraform's process: its PID and, on Linux, its start time (clock ticks since boot). */
function runKey(): string | undefined {
  const ppid = process.ppid;
  if (!ppid || ppid === 1) return undefined;
  try {
    const stat = readFileSync(`/proc/${ppid}/stat`, "utf8");
    // Field 22 (starttime), counted after the command name, which is in parentheses.
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return `${ppid}-${start}`;
  } catch {
    return `${ppid}`;
  }
}
