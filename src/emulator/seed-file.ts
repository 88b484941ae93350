import { readFileSync } from "node:fs";
import { EmulatorStateError, parseState, type EmulatorState } from "./state";

/**
 * Reads and validates a seed file. Errors name the file and, for invalid
 * content, every problem with its path (`instances[2].status: ...`).
 */
export function loadSeedFile(path: string): EmulatorState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(
      `cannot read seed file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EmulatorStateError([`not valid JSON: ${(err as Error).message}`], `seed file ${path}`);
  }
  return parseState(json, `seed file ${path}`);
}
