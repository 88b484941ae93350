import { encode } from "@msgpack/msgpack";
import {
  blockType,
  decodeJson,
  decodeMsgpack,
  decodeObject,
  encodeMsgpack,
} from "../../../src/provider/plugin/cty-msgpack";
import { isUnknown, unknown, type CtyType } from "../../../src/provider/plugin/types";
import { toySchema } from "./fixtures/toy-provider";

const toy = blockType(toySchema);
const bytes = (...b: number[]) => Uint8Array.from(b);

describe("cty values in msgpack", () => {
  it("reads Terraform's plain unknown (d4 00 00) as unknown", () => {
    expect(isUnknown(decodeMsgpack(bytes(0xd4, 0x00, 0x00), "string"))).toBe(true);
  });

  it("reads a refined unknown (extension 12 with a map of refinements) as unknown", () => {
    // fixext/ext8 type 12, payload: {1: true (not null), 2: "pre"} as msgpack.
    const refinements = encode(
      new Map<number, unknown>([
        [1, true],
        [2, "pre"],
      ]),
    );
    const ext = Uint8Array.from([0xc7, refinements.length, 12, ...refinements]);
    const obj = Uint8Array.from([0x81, 0xa2, 0x69, 0x64, ...ext]); // {"id": <ext 12>}
    const v = decodeObject(obj, toy);
    expect(isUnknown(v!.id)).toBe(true);
    expect(v!.name).toBeNull();
  });

  it("treats every other extension type as unknown too", () => {
    expect(isUnknown(decodeMsgpack(bytes(0xd4, 0x05, 0x01), "number"))).toBe(true);
    expect(isUnknown(decodeMsgpack(bytes(0xd6, 0xff, 0, 0, 0, 0), "string"))).toBe(true); // timestamp type -1
  });

  it("reads 64-bit integers exactly, and refuses one too large to keep instead of rounding it", () => {
    const uint64 = (n: bigint) => {
      const b = Buffer.alloc(9);
      b[0] = 0xcf;
      b.writeBigUInt64BE(n, 1);
      return Uint8Array.from(b);
    };
    expect(decodeMsgpack(uint64(5n), "number")).toBe(5);
    expect(decodeMsgpack(uint64(2n ** 53n - 1n), "number")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => decodeMsgpack(uint64(2n ** 53n + 1n), "number")).toThrow(/9007199254740993 is too large/);
  });

  it("reads cty's decimal strings, and only those, as numbers", () => {
    expect(decodeMsgpack(encode("1.5"), "number")).toBe(1.5);
    expect(decodeMsgpack(encode("-42"), "number")).toBe(-42);
    expect(() => decodeMsgpack(encode("9007199254740993"), "number")).toThrow(/too large/);
    expect(() => decodeMsgpack(encode("0x10"), "number")).toThrow(/is not a number/);
    expect(() => decodeMsgpack(encode(" 7"), "number")).toThrow(/is not a number/);
  });

  it("writes unknown exactly as Terraform does", () => {
    expect(Buffer.from(encodeMsgpack(unknown, "string"))).toEqual(Buffer.from([0xd4, 0x00, 0x00]));
  });

  it("writes a null object as nil and reads nil back as null", () => {
    expect(Buffer.from(encodeMsgpack(null, toy))).toEqual(Buffer.from([0xc0]));
    expect(decodeObject(bytes(0xc0), toy)).toBeNull();
    expect(decodeObject(undefined, toy)).toBeNull();
  });

  it("round-trips objects with sets, numbers, bools and unknowns", () => {
    const value = { id: unknown, name: "a", tags: ["x", "y"], size: 2.5, refuse_destroy: false };
    expect(decodeMsgpack(encodeMsgpack(value, toy), toy)).toEqual(value);
    const big = { id: "i", name: "n", tags: [], size: 2 ** 40, refuse_destroy: null };
    expect(decodeMsgpack(encodeMsgpack(big, toy), toy)).toEqual(big);
  });

  it("writes exactly the schema's attributes: missing ones null, unknown ones dropped", () => {
    const written = encodeMsgpack({ name: "a", extra: "nope" } as never, toy);
    expect(decodeMsgpack(written, ["map", "string"])).toEqual({
      id: null,
      name: "a",
      tags: null,
      size: null,
      refuse_destroy: null,
    });
  });

  it("drops attributes the schema does not know when reading", () => {
    const raw = encode({ name: "a", legacy: 1 });
    expect(decodeMsgpack(raw, toy)).toEqual({
      id: null,
      name: "a",
      tags: null,
      size: null,
      refuse_destroy: null,
    });
  });

  it("reads fractions cty sent as strings (beyond float64 precision) as the nearest float", () => {
    expect(decodeMsgpack(encode("0.10000000000000000555111512312578"), "number")).toBe(0.1);
  });

  it("reads nested collections", () => {
    const t: CtyType = ["map", ["list", ["object", { a: "bool" }]]];
    expect(decodeMsgpack(encode({ k: [{ a: true }, { a: null }] }), t)).toEqual({
      k: [{ a: true }, { a: null }],
    });
  });

  it("reads dynamic values sent as [type, value]", () => {
    const raw = encode([Buffer.from('"string"'), "hello"]);
    expect(decodeMsgpack(raw, "dynamic")).toBe("hello");
  });

  it("rejects a value of the wrong type with its path, not the value", () => {
    expect(() => decodeMsgpack(encode({ name: 42 }), toy)).toThrow(/\.name: expected string, got number/);
    expect(() => encodeMsgpack({ name: "x", tags: "secret-value" } as never, toy)).toThrow(
      /^\.tags: expected a set, got string$/,
    );
  });

  it("reads stored JSON state against the current schema", () => {
    const json = '{"id":"toy-a","name":"a","tags":["x"],"size":1,"old_attribute":"gone"}';
    expect(decodeJson(json, toy)).toEqual({
      id: "toy-a",
      name: "a",
      tags: ["x"],
      size: 1,
      refuse_destroy: null,
    });
  });
});

describe("nested blocks", () => {
  const schema = {
    attributes: [{ name: "id", type: "string" as const, computed: true }],
    blocks: [
      {
        name: "timeouts",
        nesting: "single" as const,
        block: { attributes: [{ name: "delete", type: "string" as const, optional: true }] },
      },
    ],
  };

  it("a single nested block is an object attribute of the block's type, null when absent", () => {
    const type = blockType(schema);
    expect(type).toEqual(["object", { id: "string", timeouts: ["object", { delete: "string" }] }]);
    const v = { id: "x", timeouts: { delete: "3s" } };
    expect(decodeMsgpack(encodeMsgpack(v, type), type)).toEqual(v);
    expect(decodeMsgpack(encodeMsgpack({ id: "x", timeouts: null }, type), type)).toEqual({
      id: "x",
      timeouts: null,
    });
  });
});
