import { decode, encode, ExtData, ExtensionCodec } from "@msgpack/msgpack";
import { isUnknown, unknown, type BlockSchema, type CtyType, type ObjectValue, type Value } from "./types";

/**
 * cty values <-> Terraform's msgpack encoding (DynamicValue.msgpack), and
 * the JSON encoding of stored state. Decoding is directed by the schema type:
 * attributes the schema does not know are dropped, missing ones become null.
 */

// Every extension type means "unknown" to us: type 0 is a plain unknown,
// Terraform 1.11 also sends refined unknowns as type 12. Override the
// library's built-in timestamp extension (-1) so that it stays opaque too.
const extensionCodec = new ExtensionCodec();
extensionCodec.register({ type: -1, encode: () => null, decode: (data, type) => new ExtData(type, data) });

/** Terraform's own spelling of an unknown value: fixext1, type 0, one zero byte (d4 00 00). */
const UNKNOWN_EXT = new ExtData(0, new Uint8Array([0]));

/** Block types worked out so far: a schema does not change, and every call of a walk asks again. */
const blockTypes = new WeakMap<BlockSchema, CtyType>();

/** The object type of a block: what its DynamicValues hold. */
export function blockType(schema: BlockSchema): CtyType {
  let type = blockTypes.get(schema);
  if (!type) {
    type = [
      "object",
      Object.fromEntries([
        ...schema.attributes.map((a) => [a.name, a.type] as const),
        // A single nested block is an object attribute of the block's type (null when absent).
        ...(schema.blocks ?? []).map((b) => [b.name, blockType(b.block)] as const),
      ]),
    ];
    blockTypes.set(schema, type);
  }
  return type;
}

export class ValueDecodeError extends Error {}

/** Decodes msgpack bytes against `type`. Empty bytes are null (an absent DynamicValue). */
export function decodeMsgpack(bytes: Uint8Array, type: CtyType): Value {
  if (bytes.length === 0) return null;
  // 64-bit integers arrive as bigint, so that one too large for a JS number is refused, not rounded.
  return fromWire(decode(bytes, { extensionCodec, useBigInt64: true }), type, [], true);
}

/** Decodes a JSON document (stored state) against `type`. */
export function decodeJson(text: string | Uint8Array, type: CtyType): Value {
  const doc: unknown = JSON.parse(typeof text === "string" ? text : Buffer.from(text).toString("utf8"));
  return fromWire(doc, type, [], false);
}

/** Encodes `value` as `type` in msgpack; unknown becomes extension 0. */
export function encodeMsgpack(value: Value, type: CtyType): Uint8Array {
  return encode(toWire(value, type, []), { extensionCodec, ignoreUndefined: false });
}

/** Convenience: decode an object-typed DynamicValue, null stays null. */
export function decodeObject(bytes: Uint8Array | undefined, type: CtyType): ObjectValue | null {
  const v = bytes ? decodeMsgpack(bytes, type) : null;
  if (v === null) return null;
  if (isUnknown(v)) throw new ValueDecodeError("a whole object value is unknown");
  return v as ObjectValue;
}

function where(path: readonly (string | number)[]): string {
  return path.length === 0
    ? "the value"
    : path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
}

/** cty's decimal form, which it uses for numbers that do not fit a float64 or an int64. */
const DECIMAL = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A 64-bit integer or a decimal string as a JS number, only when that is exact
 * for integers: a larger integer (say, an ID) would otherwise be silently rounded.
 */
function exactNumber(raw: bigint | string, path: readonly (string | number)[]): number {
  if (typeof raw === "string" && !DECIMAL.test(raw)) {
    throw new ValueDecodeError(`${where(path)}: ${JSON.stringify(raw)} is not a number`);
  }
  const n = Number(raw);
  const integral = typeof raw === "bigint" || /^-?\d+$/.test(raw);
  if (!Number.isFinite(n) || (integral && !Number.isSafeInteger(n))) {
    throw new ValueDecodeError(
      `${where(path)}: ${String(raw)} is too large for this provider to keep exactly`,
    );
  }
  return n;
}

function fromWire(raw: unknown, type: CtyType, path: (string | number)[], msgpack: boolean): Value {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData) return unknown;
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof raw === "string") return raw;
        break;
      case "bool":
        if (typeof raw === "boolean") return raw;
        break;
      case "number":
        if (typeof raw === "number") return raw;
        if (typeof raw === "bigint" || typeof raw === "string") return exactNumber(raw, path);
        break;
      case "dynamic":
        return dynamicFromWire(raw, path, msgpack);
    }
    throw new ValueDecodeError(`${where(path)}: expected ${type}, got ${describe(raw)}`);
  }
  const [kind, inner] = type;
  switch (kind) {
    case "set":
    case "list": {
      if (!Array.isArray(raw))
        throw new ValueDecodeError(`${where(path)}: expected a ${kind}, got ${describe(raw)}`);
      return raw.map((e, i) => fromWire(e, inner as CtyType, [...path, i], msgpack));
    }
    case "map": {
      if (!isPlainObject(raw))
        throw new ValueDecodeError(`${where(path)}: expected a map, got ${describe(raw)}`);
      const out: Record<string, Value> = {};
      for (const [k, v] of Object.entries(raw)) out[k] = fromWire(v, inner as CtyType, [...path, k], msgpack);
      return out;
    }
    case "object": {
      if (!isPlainObject(raw))
        throw new ValueDecodeError(`${where(path)}: expected an object, got ${describe(raw)}`);
      const out: Record<string, Value> = {};
      for (const [name, t] of Object.entries(inner as { [name: string]: CtyType })) {
        out[name] = Object.prototype.hasOwnProperty.call(raw, name)
          ? fromWire(raw[name], t, [...path, name], msgpack)
          : null;
      }
      return out;
    }
  }
  throw new ValueDecodeError(`unsupported type ${JSON.stringify(type)}`);
}

/** A dynamic value: msgpack sends [type JSON, value]; JSON state sends {value, type}. */
function dynamicFromWire(raw: unknown, path: (string | number)[], msgpack: boolean): Value {
  if (msgpack && Array.isArray(raw) && raw.length === 2 && raw[0] instanceof Uint8Array) {
    const t = JSON.parse(Buffer.from(raw[0]).toString("utf8")) as CtyType;
    return fromWire(raw[1], t, path, msgpack);
  }
  if (!msgpack && isPlainObject(raw) && "type" in raw && "value" in raw) {
    return fromWire(raw.value, raw.type as CtyType, path, msgpack);
  }
  return rawToValue(raw, path);
}

function rawToValue(raw: unknown, path: readonly (string | number)[]): Value {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData) return unknown;
  if (typeof raw === "string" || typeof raw === "boolean" || typeof raw === "number") return raw;
  if (typeof raw === "bigint") return exactNumber(raw, path);
  if (Array.isArray(raw)) return raw.map((v, i) => rawToValue(v, [...path, i]));
  if (isPlainObject(raw)) {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, rawToValue(v, [...path, k])]));
  }
  throw new ValueDecodeError(`cannot interpret ${describe(raw)}`);
}

function toWire(value: Value, type: CtyType, path: (string | number)[]): unknown {
  if (value === null || value === undefined) return null;
  if (isUnknown(value)) return UNKNOWN_EXT;
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof value === "string") return value;
        break;
      case "bool":
        if (typeof value === "boolean") return value;
        break;
      case "number":
        if (typeof value === "number") return value;
        break;
      case "dynamic":
        throw new ValueDecodeError(`${where(path)}: encoding dynamic values is not supported`);
    }
    throw new ValueDecodeError(`${where(path)}: expected ${type}, got ${describe(value)}`);
  }
  const [kind, inner] = type;
  switch (kind) {
    case "set":
    case "list":
      if (!Array.isArray(value))
        throw new ValueDecodeError(`${where(path)}: expected a ${kind}, got ${describe(value)}`);
      return (value as readonly Value[]).map((e, i) => toWire(e, inner as CtyType, [...path, i]));
    case "map": {
      if (!isPlainObject(value))
        throw new ValueDecodeError(`${where(path)}: expected a map, got ${describe(value)}`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = toWire(v as Value, inner as CtyType, [...path, k]);
      return out;
    }
    case "object": {
      if (!isPlainObject(value))
        throw new ValueDecodeError(`${where(path)}: expected an object, got ${describe(value)}`);
      // Exactly the schema's attributes: Terraform rejects any it does not know.
      const out: Record<string, unknown> = {};
      for (const [name, t] of Object.entries(inner as { [name: string]: CtyType })) {
        const v = (value as ObjectValue)[name];
        out[name] = toWire(v === undefined ? null : v, t, [...path, name]);
      }
      return out;
    }
  }
  throw new ValueDecodeError(`unsupported type ${JSON.stringify(type)}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !isUnknown(v)
  );
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v instanceof Uint8Array) return "bytes";
  return v === null ? "null" : typeof v;
}
