/**
 * A minimal protobuf (proto3) wire-format reader and writer: just enough for
 * the handful of messages the plugin protocol uses. A reflection library
 * (protobufjs) would cost tens of milliseconds at every provider start-up
 * (see docs/provider-plugin.md); the wire format itself is tiny.
 */

const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

/** Field number -> every occurrence of it, in order (repeated fields keep all). */
export type Fields = ReadonlyMap<number, readonly (Buffer | bigint)[]>;

/** Splits a message into its fields. Fixed-width fields are kept as raw bytes. */
export function readFields(buf: Buffer): Fields {
  const fields = new Map<number, (Buffer | bigint)[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error("protobuf: truncated varint");
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error("protobuf: varint too long");
    }
  };
  const take = (n: number): Buffer => {
    if (n < 0 || pos + n > buf.length) throw new Error("protobuf: truncated field");
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: Buffer | bigint;
    switch (wire) {
      case WireType.Varint:
        value = varint();
        break;
      case WireType.Fixed64:
        value = take(8);
        break;
      case WireType.LengthDelimited:
        value = take(Number(varint()));
        break;
      case WireType.Fixed32:
        value = take(4);
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${wire}`);
    }
    const list = fields.get(field);
    if (list) list.push(value);
    else fields.set(field, [value]);
  }
  return fields;
}

const EMPTY = Buffer.alloc(0);

/** The last occurrence of a length-delimited field (proto3: last one wins), or undefined. */
export function bytesField(fields: Fields, n: number): Buffer | undefined {
  const list = fields.get(n);
  const v = list?.[list.length - 1];
  return Buffer.isBuffer(v) ? v : undefined;
}
export function stringField(fields: Fields, n: number): string {
  return (bytesField(fields, n) ?? EMPTY).toString("utf8");
}
export function messageField(fields: Fields, n: number): Fields | undefined {
  const b = bytesField(fields, n);
  return b === undefined ? undefined : readFields(b);
}
export function repeatedMessages(fields: Fields, n: number): Fields[] {
  return (fields.get(n) ?? []).filter(Buffer.isBuffer).map(readFields);
}
export function intField(fields: Fields, n: number): number {
  const list = fields.get(n);
  const v = list?.[list.length - 1];
  return typeof v === "bigint" ? Number(BigInt.asIntN(64, v)) : 0;
}

/** Builds one message. Default values (empty, zero, false) are skipped as proto3 does. */
export class MessageWriter {
  private readonly parts: Buffer[] = [];

  private key(field: number, wire: WireType): void {
    this.varint((field << 3) | wire);
  }
  private varint(n: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(n));
    const bytes: number[] = [];
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.parts.push(Buffer.from(bytes));
  }

  bytes(field: number, value: Uint8Array | undefined): this {
    if (value && value.length > 0) this.bytesAlways(field, value);
    return this;
  }
  /** A length-delimited field even when empty (a present-but-empty sub-message). */
  bytesAlways(field: number, value: Uint8Array): this {
    this.key(field, WireType.LengthDelimited);
    this.varint(value.length);
    this.parts.push(Buffer.from(value.buffer, value.byteOffset, value.length));
    return this;
  }
  string(field: number, value: string | undefined): this {
    return value ? this.bytes(field, Buffer.from(value, "utf8")) : this;
  }
  bool(field: number, value: boolean | undefined): this {
    if (value) {
      this.key(field, WireType.Varint);
      this.varint(1);
    }
    return this;
  }
  int(field: number, value: number | undefined): this {
    if (value) {
      this.key(field, WireType.Varint);
      this.varint(value);
    }
    return this;
  }
  /** An embedded message; written even when empty, because presence can matter. */
  message(field: number, value: MessageWriter | undefined): this {
    return value ? this.bytesAlways(field, value.finish()) : this;
  }
  messages(field: number, values: readonly MessageWriter[]): this {
    for (const v of values) this.message(field, v);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}
