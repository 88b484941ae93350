/** Reading action parameters (all strings on the wire) with the service's codes for bad input. */
import { ApiError } from "./api-error";
import { describeMalformedId, isWellFormedId } from "./ids";

/** Action parameters after the signature layer removed the common ones. */
export type Params = Readonly<Record<string, string>>;

/** `MissingParameter.<Name>` (400) when absent. An empty value counts as present (and is then malformed). */
export function required(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined)
    throw new ApiError(
      400,
      `MissingParameter.${name}`,
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );
  return value;
}

/** Kinds of resource ID, with the codes their malformed values get. */
export const ID_KINDS = {
  InstanceId: "InvalidInstanceId.Malformed",
  SecurityGroupId: "InvalidSecurityGroupId.Malformed",
  NetworkInterfaceId: "InvalidEniId.Malformed",
  VpcId: "InvalidVpcId.Malformed",
} as const;

/** Throws the kind's `.Malformed` code (400) unless `value` could be an ID. */
export function wellFormedId(value: string, kind: keyof typeof ID_KINDS): string {
  if (!isWellFormedId(value)) {
    throw new ApiError(
      400,
      ID_KINDS[kind],
      `The specified ${kind} ${JSON.stringify(value)} is malformed: ${describeMalformedId(value)}.`,
    );
  }
  return value;
}

/** A required, well-formed ID parameter. */
export function requiredId(params: Params, name: keyof typeof ID_KINDS): string {
  return wellFormedId(required(params, name), name);
}

/**
 * A list parameter sent as a JSON array string (`InstanceIds=["i-1","i-2"]`),
 * as the SDK sends it. Bad JSON or too many items: `Invalid<Name>.Malformed` (400).
 */
export function jsonIdList(
  params: Params,
  name: "InstanceIds" | "SecurityGroupIds",
  max: number,
): string[] | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const code = `Invalid${name}.Malformed`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(
      400,
      code,
      `The specified parameter ${name} is not a JSON array of IDs: ${JSON.stringify(raw)}.`,
    );
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) {
    throw new ApiError(
      400,
      code,
      `The specified parameter ${name} must be a JSON array of strings, e.g. ["id-1","id-2"].`,
    );
  }
  if (parsed.length > max) {
    throw new ApiError(
      400,
      code,
      `The specified parameter ${name} lists ${parsed.length} IDs; at most ${max} are allowed.`,
    );
  }
  return parsed as string[];
}

/** An optional integer within bounds, else `InvalidParameter.<Name>` (400). */
export function optionalInt(params: Params, name: string, min: number, max: number): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ApiError(
      400,
      `InvalidParameter.${name}`,
      `The specified parameter ${name} ${JSON.stringify(raw)} must be an integer from ${min} to ${max}.`,
    );
  }
  return Number(raw);
}

/** An optional value from a fixed set, else `InvalidParameter.<Name>` (400). */
export function optionalOneOf<T extends string>(
  params: Params,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = params[name];
  if (raw === undefined || raw === "") return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ApiError(
      400,
      `InvalidParameter.${name}`,
      `The specified parameter ${name} ${JSON.stringify(raw)} is not one of ${allowed.join(", ")}.`,
    );
  }
  return raw as T;
}

/**
 * A list parameter sent as repeated `<Name>.N` keys (`NetworkInterfaceId.1`,
 * `NetworkInterfaceId.2`, ...), N from 1 to `max`, in N order; empty values are
 * no filter. An N outside that range: `InvalidParameter.<Name>` (400).
 */
export function repeatedList(params: Params, name: string, max: number): string[] | undefined {
  const pattern = new RegExp(`^${name.replace(/\./g, "\\.")}\\.(\\d+)$`);
  const items: [number, string][] = [];
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key);
    if (!match) continue;
    const n = Number(match[1]);
    if (String(n) !== match[1] || n < 1 || n > max) {
      throw new ApiError(
        400,
        `InvalidParameter.${name}`,
        `The specified parameter ${key} is not valid: N in ${name}.N must be an integer from 1 to ${max}.`,
      );
    }
    if (value !== "") items.push([n, value]);
  }
  if (items.length === 0) return undefined;
  return items.sort(([a], [b]) => a - b).map(([, value]) => value);
}
