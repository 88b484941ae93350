import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { GitopsInputError } from "../gitops";

/**
 * Where a command writes what it generates: `--out FILE`, or stdout. An
 * existing file is never overwritten without `--force`; with it, the new text
 * goes to a temporary file beside it first and replaces the old one in one
 * rename, so a failed write leaves the old file as it was.
 */
export class OutputTarget {
  constructor(
    readonly file: string | undefined,
    private readonly force: boolean,
  ) {}

  /** Refuses an existing `--out` file before any work is done (without `--force`). */
  check(): void {
    if (this.file !== undefined && !this.force && existsSync(this.file)) throw this.exists();
  }

  write(text: string): void {
    if (this.file === undefined) {
      process.stdout.write(text);
      return;
    }
    try {
      if (!this.force) {
        // "wx": fails if the file appeared meanwhile, instead of overwriting it.
        writeFileSync(this.file, text, { flag: "wx" });
        return;
      }
      const temp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.tmp`);
      try {
        writeFileSync(temp, text, { flag: "wx" });
        renameSync(temp, this.file);
      } finally {
        rmSync(temp, { force: true });
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && !this.force) throw this.exists();
      throw new GitopsInputError(`--out ${this.file}: cannot write it (${code ?? String(err)})`);
    }
  }

  private exists(): GitopsInputError {
    return new GitopsInputError(`--out ${this.file}: the file exists; give --force to overwrite it`);
  }
}
