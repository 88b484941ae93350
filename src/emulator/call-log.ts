/** The record of API calls received, for tests and demos (`GET /_emulator/calls`). */

export interface CallRecord {
  action: string;
  /** Action parameters only: protocol and credential parameters (Signature, SecurityToken, AccessKeyId, ...) are never kept. */
  params: Record<string, string>;
  httpStatus: number;
  /** The error code, or null on success. */
  code: string | null;
}

/** Parameters every RPC request may carry that belong to the protocol, not to the action. */
export const COMMON_PARAMS: ReadonlySet<string> = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "SecurityToken",
  "BearerToken",
]);

/** The action's own parameters: everything but {@link COMMON_PARAMS}. */
export function actionParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (!COMMON_PARAMS.has(key)) result[key] = value;
  return result;
}

/** A parameter name that may carry a credential (but not `NextToken`, a paging cursor). */
const SECRET_LIKE = /secret|password|signature|credential|(?<!next)token/i;

/** Parameters as the log keeps them: a credential a (wrong) client sends is never kept as is. */
export function loggedParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params))
    result[key] = SECRET_LIKE.test(key) ? "<redacted>" : value;
  return result;
}

/** Oldest first; the oldest are dropped beyond `limit` so a long-running emulator stays small. */
export class CallLog {
  private records: CallRecord[] = [];

  constructor(private readonly limit = 100_000) {}

  add(record: CallRecord): void {
    this.records.push({ ...record, params: loggedParams(record.params) });
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  list(): CallRecord[] {
    return this.records.map((r) => ({ ...r, params: { ...r.params } }));
  }

  clear(): void {
    this.records = [];
  }
}
