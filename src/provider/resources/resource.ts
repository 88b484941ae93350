import type {
  ApplyRequest,
  ApplyResponse,
  BlockSchema,
  Diagnostic,
  ImportResponse,
  ObjectValue,
  PlanRequest,
  PlanResponse,
  ReadRequest,
  ReadResponse,
  Value,
} from "../plugin/types";
import { isUnknown } from "../plugin/types";

/**
 * One resource type as the provider definition dispatches requests to it
 * (protocol-shaped: plan, apply). `membershipResource` builds one from a
 * typed resource's verbs (create, read, update, delete, import).
 */
export interface Resource {
  readonly typeName: string;
  readonly schema: BlockSchema;
  validate(config: ObjectValue): Diagnostic[];
  read(req: ReadRequest): Promise<ReadResponse>;
  plan(req: PlanRequest): Promise<PlanResponse>;
  apply(req: ApplyRequest): Promise<ApplyResponse>;
  importState(id: string): Promise<ImportResponse>;
}

/** A string value that is known (not null, not unknown). */
export function knownString(v: Value | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** True when the value is unknown at plan time, or a collection holding an unknown. */
function hasUnknown(v: Value | undefined): boolean {
  if (isUnknown(v)) return true;
  return isList(v) && v.some(hasUnknown);
}

/** Known strings of a set value; undefined when the set (or one element) is unknown or null. */
export function knownStringSet(v: Value | undefined): string[] | undefined {
  if (!isList(v) || hasUnknown(v)) return undefined;
  return v.filter((x): x is string => typeof x === "string");
}

function isList(v: Value | undefined): v is readonly Value[] {
  return Array.isArray(v);
}
