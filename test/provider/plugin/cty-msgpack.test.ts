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

  it("reads numbers cty sent as strings (beyond float64 precision)", () => {
    expect(decodeMsgpack(encode("12345678901234567890"), "number")).toBe(Number("12345678901234567890"));
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
