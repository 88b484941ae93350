/**
 * The alisg entry of a stack's `.terraform.lock.hcl`, written at synth next
 * to the placed provider.
 *
 * Why: with no lock file (or one without alisg), `cdktf deploy|plan` run
 * `terraform providers lock`, which asks the origin registry and ignores
 * local mirrors, so it fails for alisg/alisg. With the entry present it only
 * runs `terraform init`, which checks the placed files against this hash.
 * The placed files are the same on every machine, so is the hash.
 *
 * The entry is keyed by the fully qualified address the stack's
 * `required_providers` names (registry.terraform.io/alisg/alisg), which
 * Terraform and OpenTofu read alike, so both accept the same entry: the
 * lock format and the `h1:` directory hash are the same in both engines.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROVIDER_ADDRESS } from "../provider/distribution";

export const LOCK_FILE = ".terraform.lock.hcl";

const HEADER = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.
`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * Terraform's `h1:` hash of an unpacked provider directory (Go's
 * `dirhash.Hash1`): SHA-256 over the sorted lines `<sha256 hex>  <slash path>\n`.
 */
export function packageHashV1(dir: string): string {
  const lines = filesUnder(dir)
    .map((file) => ({ file, name: relative(dir, file).split(sep).join("/") }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ file, name }) => `${createHash("sha256").update(readFileSync(file)).digest("hex")}  ${name}\n`);
  return `h1:${createHash("sha256").update(lines.join("")).digest("base64")}`;
}

function lockBlock(version: string, hash: string): string {
  return (
    `provider "${PROVIDER_ADDRESS}" {\n` +
    `  version     = "${version}"\n` +
    `  constraints = "${version}"\n` +
    `  hashes = [\n` +
    `    "${hash}",\n` +
    `  ]\n` +
    `}\n`
  );
}

/**
 * Writes or updates the alisg entry in `<workingDir>/.terraform.lock.hcl` for
 * the provider placed in `installedDir`, keeping every other provider's entry.
 */
export function lockPlacedProvider(workingDir: string, installedDir: string, version: string): void {
  const path = join(workingDir, LOCK_FILE);
  const block = lockBlock(version, packageHashV1(installedDir));
  if (!existsSync(path)) {
    writeFileSync(path, `${HEADER}\n${block}`);
    return;
  }
  const current = readFileSync(path, "utf8");
  const start = current.indexOf(`provider "${PROVIDER_ADDRESS}" {`);
  if (start === -1) {
    writeFileSync(path, `${current.replace(/\n*$/, "\n")}\n${block}`);
    return;
  }
  const end = current.indexOf("\n}", start);
  const after = end === -1 ? "" : current.slice(end + "\n}\n".length);
  const updated = current.slice(0, start) + block + after;
  if (updated !== current) writeFileSync(path, updated);
}
