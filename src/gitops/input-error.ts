/**
 * A problem with what the user gave a GitOps command (an unreadable file, bad
 * JSON, a format version alisg does not know, a missing directory): the
 * command stops with exit 1 and this message, which names the input.
 */
export class GitopsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitopsInputError";
  }
}

/** Parses JSON text, naming the source and the parser's complaint when it is not JSON. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new GitopsInputError(`${source}: not valid JSON (${why})`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Refuses a `format_version` whose major version alisg does not read (only 1.x
 * is known), naming the source and the version found.
 */
export function requireFormatMajor1(doc: Record<string, unknown>, source: string, what: string): void {
  const version = doc.format_version;
  if (typeof version !== "string") {
    throw new GitopsInputError(
      `${source}: no format_version: expected the output of \`terraform show -json\` ${what}`,
    );
  }
  if (version.split(".")[0] !== "1") {
    throw new GitopsInputError(
      `${source}: format_version "${version}" is not supported: alisg reads format_version 1.x of \`terraform show -json\``,
    );
  }
}
