import { blockType, decodeMsgpack, encodeMsgpack } from "../../../src/provider/plugin/cty-msgpack";
import type { ProviderRpc } from "../../../src/provider/plugin/provider-rpcs";
import { providerService } from "../../../src/provider/plugin/provider-service";
import {
  bytesField,
  intField,
  messageField,
  MessageWriter,
  readFields,
  repeatedMessages,
  stringField,
  type Fields,
} from "../../../src/provider/plugin/protobuf-wire";
import {
  isUnknown,
  unknown,
  type ObjectValue,
  type ProviderDefinition,
} from "../../../src/provider/plugin/types";
import { createToyProvider, toyProviderSchema, toySchema } from "./fixtures/toy-provider";

const toy = blockType(toySchema);
const dyn = (v: ObjectValue | null, t = toy) => new MessageWriter().bytesAlways(1, encodeMsgpack(v, t));
const str = (b: Buffer | undefined) => (b ?? Buffer.alloc(0)).toString();

interface Diag {
  severity: number;
  summary: string;
  detail: string;
  path: string[];
}
function diagnostics(f: Fields, field: number): Diag[] {
  return repeatedMessages(f, field).map((d) => ({
    severity: intField(d, 1),
    summary: stringField(d, 2),
    detail: stringField(d, 3),
    path: repeatedMessages(messageField(d, 4) ?? new Map(), 1).map((s) => stringField(s, 1)),
  }));
}
const state = (f: Fields, field: number) => decodeMsgpack(bytesField(messageField(f, field)!, 1)!, toy);

function service(def: ProviderDefinition = createToyProvider()) {
  const s = providerService(() => def);
  return async (name: ProviderRpc, req: MessageWriter = new MessageWriter()) =>
    readFields(await s[name](req.finish()));
}

const toyState = (over: Partial<Record<string, unknown>> = {}) =>
  ({ id: "toy-a", name: "a", tags: null, size: null, refuse_destroy: null, ...over }) as ObjectValue;

describe("the tfplugin6.Provider service", () => {
  it("loads the definition only when an RPC needs it, and once", async () => {
    const source = jest.fn(createToyProvider);
    const s = providerService(source);
    expect(source).not.toHaveBeenCalled();
    await Promise.all([s.GetProviderSchema(Buffer.alloc(0)), s.GetMetadata(Buffer.alloc(0))]);
    expect(source).toHaveBeenCalledTimes(1);
  });

  it("describes the schema with cty types as JSON and advertises plan_destroy", async () => {
    const f = await service()("GetProviderSchema");
    const provider = messageField(messageField(f, 1)!, 2)!;
    expect(repeatedMessages(provider, 2).map((a) => stringField(a, 1))).toEqual(["label", "secret"]);
    const entries = repeatedMessages(f, 2);
    expect(entries.map((e) => stringField(e, 1))).toEqual(["alisg_toy"]);
    const attrs = repeatedMessages(messageField(messageField(entries[0], 2)!, 2)!, 2);
    const tags = attrs.find((a) => stringField(a, 1) === "tags")!;
    expect(str(bytesField(tags, 2))).toBe('["set","string"]');
    expect(intField(tags, 5)).toBe(1); // optional
    expect(intField(messageField(f, 6)!, 1)).toBe(1); // server_capabilities.plan_destroy
    expect(intField(messageField(await service()("GetMetadata"), 1)!, 1)).toBe(1);
    expect(toyProviderSchema.attributes[1].sensitive).toBe(true);
  });

  it("plans a create with the computed id unknown", async () => {
    const f = await service()(
      "PlanResourceChange",
      new MessageWriter()
        .string(1, "alisg_toy")
        .message(2, dyn(null))
        .message(3, dyn(toyState({ id: null })))
        .message(4, dyn(toyState({ id: null }))),
    );
    const planned = state(f, 1) as ObjectValue;
    expect(isUnknown(planned.id)).toBe(true);
    expect(planned.name).toBe("a");
  });

  it("returns requires_replace as attribute paths", async () => {
    const f = await service()(
      "PlanResourceChange",
      new MessageWriter()
        .string(1, "alisg_toy")
        .message(2, dyn(toyState()))
        .message(3, dyn(toyState({ name: "b" })))
        .message(4, dyn(toyState({ id: null, name: "b" }))),
    );
    const paths = repeatedMessages(f, 2).map((p) => repeatedMessages(p, 1).map((s) => stringField(s, 1)));
    expect(paths).toEqual([["name"]]);
  });

  it("refuses a destroy at plan time with the definition's diagnostic", async () => {
    const f = await service()(
      "PlanResourceChange",
      new MessageWriter()
        .string(1, "alisg_toy")
        .message(2, dyn(toyState({ refuse_destroy: true })))
        .message(3, dyn(null))
        .message(4, dyn(null)),
    );
    expect(diagnostics(f, 4)).toEqual([
      {
        severity: 1,
        summary: "ToyRefusal: destroying toy a is refused",
        detail: "Set refuse_destroy = false and apply before destroying it.",
        path: [],
      },
    ]);
  });

  it("reports diagnostics with their attribute paths", async () => {
    const f = await service()(
      "ValidateResourceConfig",
      new MessageWriter().string(1, "alisg_toy").message(2, dyn(toyState({ id: null, name: "a b" }))),
    );
    expect(diagnostics(f, 1)).toEqual([
      { severity: 1, summary: "name must not contain spaces", detail: "", path: ["name"] },
    ]);
    const p = await service()(
      "ValidateProviderConfig",
      new MessageWriter().message(1, dyn({ label: "bad", secret: null }, blockType(toyProviderSchema))),
    );
    expect(diagnostics(p, 2).map((d) => d.path)).toEqual([["label"]]);
  });

  it("turns an exception into an error diagnostic with only its message", async () => {
    const f = await service()(
      "ConfigureProvider",
      new MessageWriter()
        .string(1, "1.11.4")
        .message(2, dyn({ label: null, secret: "explode" }, blockType(toyProviderSchema))),
    );
    const [d] = diagnostics(f, 1);
    expect(d.summary).toBe("configuration exploded");
    expect(d.detail).toBe("The provider failed while handling ConfigureProvider."); // no stack, no values
  });

  it("keeps the prior state when apply throws", async () => {
    const prior = toyState();
    const f = await service()(
      "ApplyResourceChange",
      new MessageWriter()
        .string(1, "alisg_toy")
        .message(2, dyn(prior))
        .message(3, dyn(toyState({ name: "fail-apply" })))
        .message(4, dyn(toyState({ id: null, name: "fail-apply" }))),
    );
    expect(state(f, 1)).toEqual(prior);
    expect(diagnostics(f, 3)[0].summary).toBe("the toy failed to apply");
  });

  it("applies a create and carries private data", async () => {
    const f = await service()(
      "ApplyResourceChange",
      new MessageWriter()
        .string(1, "alisg_toy")
        .message(2, dyn(null))
        .message(3, dyn(toyState({ id: unknown })))
        .message(4, dyn(toyState({ id: null }))),
    );
    expect((state(f, 1) as ObjectValue).id).toBe("toy-a");
    expect(str(bytesField(f, 2))).toBe("label=unset");
  });

  it("answers an unknown resource type with a diagnostic, not a crash", async () => {
    const f = await service()(
      "ReadResource",
      new MessageWriter().string(1, "alisg_nope").message(2, dyn(toyState())),
    );
    expect(diagnostics(f, 2)[0].summary).toBe('this provider has no resource type "alisg_nope"');
  });

  it("upgrades JSON state, dropping attributes the schema no longer has", async () => {
    const raw = new MessageWriter().bytes(1, Buffer.from('{"id":"toy-a","name":"a","removed":true}'));
    const f = await service()(
      "UpgradeResourceState",
      new MessageWriter().string(1, "alisg_toy").message(3, raw),
    );
    expect(state(f, 1)).toEqual(toyState());
  });

  it("refuses state written by a newer schema version instead of dropping what it holds", async () => {
    const raw = new MessageWriter().bytes(1, Buffer.from('{"id":"toy-a","name":"a"}'));
    const f = await service()(
      "UpgradeResourceState",
      new MessageWriter().string(1, "alisg_toy").int(2, 7).message(3, raw),
    );
    expect(diagnostics(f, 2)[0].summary).toMatch(/written by a newer provider version/);
    expect(f.get(1)).toBeUndefined();
  });

  it("imports a resource by id", async () => {
    const f = await service()(
      "ImportResourceState",
      new MessageWriter().string(1, "alisg_toy").string(2, "toy-x"),
    );
    const [imported] = repeatedMessages(f, 1);
    expect(stringField(imported, 1)).toBe("alisg_toy");
    expect(state(imported, 2)).toEqual(toyState({ id: "toy-x", name: "x" }));
  });

  it("has no data sources and no functions", async () => {
    const f = await service()("ReadDataSource", new MessageWriter().string(1, "alisg_thing"));
    expect(diagnostics(f, 2)[0].summary).toMatch(/data source "alisg_thing" is not supported/);
    expect((await service()("GetFunctions")).size).toBe(0);
  });

  it("passes StopProvider to the definition once loaded", async () => {
    const def = { ...createToyProvider(), stop: jest.fn(async () => undefined) };
    const s = providerService(() => def);
    await s.GetMetadata(Buffer.alloc(0));
    expect(readFields(await s.StopProvider(Buffer.alloc(0))).size).toBe(0);
    expect(def.stop).toHaveBeenCalled();
  });

  it("reports a definition that fails to load on every RPC instead of exiting", async () => {
    const s = providerService(() => {
      throw new Error("cannot load");
    });
    const f = readFields(await s.GetProviderSchema(Buffer.alloc(0)));
    expect(diagnostics(f, 4)[0].summary).toBe("cannot load");
  });
});
