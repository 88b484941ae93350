import { GitopsInputError } from "./input-error";

/**
 * OpenTofu can encrypt state and plan files at rest (its `encryption` block).
 * Such a file is a JSON wrapper, `{"meta", "encrypted_data",
 * "encryption_version"}`, around data only OpenTofu with the keys can read.
 * alisg never holds those keys: it names the file and the command that prints
 * the readable JSON instead (`tofu show -json` and `tofu state pull` decrypt).
 */
export function refuseEncryptedPayload(doc: Record<string, unknown>, source: string, readable: string): void {
  if (typeof doc.encryption_version !== "string" || !("encrypted_data" in doc)) return;
  throw new GitopsInputError(
    `${source}: encrypted by OpenTofu (encryption_version ${JSON.stringify(doc.encryption_version)}): give ${readable}, which OpenTofu decrypts with your encryption configuration`,
  );
}
