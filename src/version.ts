import { readFileSync } from "node:fs";
import { join } from "node:path";

let cached: string | undefined;

/** The package version, which is also the provider version. */
export function packageVersion(): string {
  if (cached === undefined) {
    // Both src/ (ts-jest) and dist/ (built) sit one level below the package root.
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
      version: string;
    };
    cached = pkg.version;
  }
  return cached;
}
