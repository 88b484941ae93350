/**
 * The tfplugin6 messages this provider uses, written from the public
 * protocol definition (field numbers of Terraform's tfplugin6.proto).
 * Requests are decoded into plain objects; responses are encoded from them.
 * Fields we never read are skipped; fields we never set are not written.
 */
import {
  bytesField,
  intField,
  messageField,
  MessageWriter,
  readFields,
  stringField,
  type Fields,
} from "./protobuf-wire";
import type { AttributePath, BlockSchema, Diagnostic } from "./types";

// ---------------------------------------------------------------- shared

/** DynamicValue: msgpack = 1, json = 2. */
export interface DynamicValue {
  readonly msgpack?: Buffer;
  readonly json?: Buffer;
}
function dynamicValue(fields: Fields, n: number): DynamicValue | undefined {
  const m = messageField(fields, n);
  return m && { msgpack: bytesField(m, 1), json: bytesField(m, 2) };
}
function writeDynamicValue(msgpack: Uint8Array): MessageWriter {
  return new MessageWriter().bytesAlways(1, msgpack);
}

/** AttributePath { repeated Step steps = 1 }, Step { attribute_name = 1 }. */
function writeAttributePath(path: AttributePath): MessageWriter {
  return new MessageWriter().messages(
    1,
    path.map((name) => new MessageWriter().bytesAlways(1, Buffer.from(name, "utf8"))),
  );
}

/** Diagnostic { severity = 1 (ERROR 1, WARNING 2), summary = 2, detail = 3, attribute = 4 }. */
function writeDiagnostic(d: Diagnostic): MessageWriter {
  return new MessageWriter()
    .int(1, d.severity === "error" ? 1 : 2)
    .string(2, d.summary)
    .string(3, d.detail)
    .message(4, d.attribute && d.attribute.length > 0 ? writeAttributePath(d.attribute) : undefined);
}
const diagnostics = (ds: readonly Diagnostic[] | undefined) => (ds ?? []).map(writeDiagnostic);

// ---------------------------------------------------------------- requests

export interface TypedConfigRequest {
  readonly typeName: string;
  readonly config?: DynamicValue;
}
/** ValidateResourceConfig / ValidateDataResourceConfig / ReadDataSource: type_name = 1, config = 2. */
export function decodeTypedConfig(buf: Buffer): TypedConfigRequest {
  const f = readFields(buf);
  return { typeName: stringField(f, 1), config: dynamicValue(f, 2) };
}

/** ValidateProviderConfig.Request: config = 1. */
export function decodeValidateProviderConfig(buf: Buffer): { config?: DynamicValue } {
  return { config: dynamicValue(readFields(buf), 1) };
}

/** ConfigureProvider.Request: terraform_version = 1, config = 2. */
export function decodeConfigureProvider(buf: Buffer): { terraformVersion: string; config?: DynamicValue } {
  const f = readFields(buf);
  return { terraformVersion: stringField(f, 1), config: dynamicValue(f, 2) };
}

/** UpgradeResourceState.Request: type_name = 1, version = 2, raw_state = 3 (RawState: json = 1, flatmap = 2). */
export function decodeUpgradeResourceState(buf: Buffer): {
  typeName: string;
  version: number;
  rawJson?: Buffer;
  hasFlatmap: boolean;
} {
  const f = readFields(buf);
  const raw = messageField(f, 3);
  return {
    typeName: stringField(f, 1),
    version: intField(f, 2),
    rawJson: raw && bytesField(raw, 1),
    hasFlatmap: (raw?.get(2)?.length ?? 0) > 0,
  };
}

/** ReadResource.Request: type_name = 1, current_state = 2, private = 3. */
export function decodeReadResource(buf: Buffer): {
  typeName: string;
  currentState?: DynamicValue;
  private: Buffer;
} {
  const f = readFields(buf);
  return { typeName: stringField(f, 1), currentState: dynamicValue(f, 2), private: privateBytes(f, 3) };
}

/** PlanResourceChange.Request: type_name = 1, prior_state = 2, proposed_new_state = 3, config = 4, prior_private = 5. */
export function decodePlanResourceChange(buf: Buffer): {
  typeName: string;
  priorState?: DynamicValue;
  proposedNewState?: DynamicValue;
  config?: DynamicValue;
  priorPrivate: Buffer;
} {
  const f = readFields(buf);
  return {
    typeName: stringField(f, 1),
    priorState: dynamicValue(f, 2),
    proposedNewState: dynamicValue(f, 3),
    config: dynamicValue(f, 4),
    priorPrivate: privateBytes(f, 5),
  };
}

/** ApplyResourceChange.Request: type_name = 1, prior_state = 2, planned_state = 3, config = 4, planned_private = 5. */
export function decodeApplyResourceChange(buf: Buffer): {
  typeName: string;
  priorState?: DynamicValue;
  plannedState?: DynamicValue;
  config?: DynamicValue;
  plannedPrivate: Buffer;
} {
  const f = readFields(buf);
  return {
    typeName: stringField(f, 1),
    priorState: dynamicValue(f, 2),
    plannedState: dynamicValue(f, 3),
    config: dynamicValue(f, 4),
    plannedPrivate: privateBytes(f, 5),
  };
}

/** ImportResourceState.Request: type_name = 1, id = 2. */
export function decodeImportResourceState(buf: Buffer): { typeName: string; id: string } {
  const f = readFields(buf);
  return { typeName: stringField(f, 1), id: stringField(f, 2) };
}

function privateBytes(f: Fields, n: number): Buffer {
  // Copy: the request buffer is not ours to keep.
  return Buffer.from(bytesField(f, n) ?? Buffer.alloc(0));
}

// ---------------------------------------------------------------- responses

/** Responses whose only field is `repeated Diagnostic diagnostics = n`. */
export function encodeDiagnosticsOnly(field: number, ds: readonly Diagnostic[] | undefined): Buffer {
  return new MessageWriter().messages(field, diagnostics(ds)).finish();
}

/**
 * ServerCapabilities: plan_destroy = 1, get_provider_schema_optional = 2. The schema never
 * changes within one version, so Terraform may reuse the one it already has instead of asking
 * every provider process it starts (GetMetadata lists the resource types).
 */
function writeCapabilities(planDestroy: boolean): MessageWriter {
  return new MessageWriter().bool(1, planDestroy).bool(2, true);
}

/**
 * Schema { version = 1, block = 2 }, Block { version = 1, attributes = 2, block_types = 3,
 * description = 4 }, Attribute { name = 1, type = 2 (cty JSON), description = 3, required = 4,
 * optional = 5, computed = 6, sensitive = 7 }, NestedBlock { type_name = 1, block = 2,
 * nesting = 3 (SINGLE = 1) }.
 */
function writeSchema(schema: BlockSchema): MessageWriter {
  const version = schema.version ?? 0;
  return new MessageWriter().int(1, version).message(2, writeBlock(schema, version));
}

function writeBlock(schema: BlockSchema, version: number): MessageWriter {
  return new MessageWriter()
    .int(1, version)
    .messages(
      2,
      schema.attributes.map((a) =>
        new MessageWriter()
          .string(1, a.name)
          .bytes(2, Buffer.from(JSON.stringify(a.type), "utf8"))
          .string(3, a.description)
          .bool(4, a.required)
          .bool(5, a.optional)
          .bool(6, a.computed)
          .bool(7, a.sensitive),
      ),
    )
    .messages(
      3,
      (schema.blocks ?? []).map((b) =>
        new MessageWriter()
          .string(1, b.name)
          .message(2, writeBlock(b.block, 0))
          .int(3, b.nesting === "single" ? 1 : 0),
      ),
    )
    .string(4, schema.description);
}

/** A map<string, V> field: repeated entries { key = 1, value = 2 }. */
function writeMapEntries(field: number, w: MessageWriter, entries: [string, MessageWriter][]): MessageWriter {
  return w.messages(
    field,
    entries.map(([k, v]) => new MessageWriter().string(1, k).message(2, v)),
  );
}

/**
 * GetProviderSchema.Response: provider = 1, resource_schemas = 2, data_source_schemas = 3,
 * diagnostics = 4, server_capabilities = 6.
 */
export function encodeGetProviderSchema(r: {
  provider: BlockSchema;
  resources: { readonly [typeName: string]: BlockSchema };
  planDestroy: boolean;
  diagnostics?: readonly Diagnostic[];
}): Buffer {
  const w = new MessageWriter().message(1, writeSchema(r.provider));
  writeMapEntries(
    2,
    w,
    Object.entries(r.resources).map(([name, s]) => [name, writeSchema(s)]),
  );
  return w.messages(4, diagnostics(r.diagnostics)).message(6, writeCapabilities(r.planDestroy)).finish();
}

/** GetMetadata.Response: server_capabilities = 1, diagnostics = 2, resources = 4 (ResourceMetadata: type_name = 1). */
export function encodeGetMetadata(r: {
  resourceTypes: readonly string[];
  planDestroy: boolean;
  diagnostics?: readonly Diagnostic[];
}): Buffer {
  return new MessageWriter()
    .message(1, writeCapabilities(r.planDestroy))
    .messages(2, diagnostics(r.diagnostics))
    .messages(
      4,
      r.resourceTypes.map((t) => new MessageWriter().string(1, t)),
    )
    .finish();
}

/** UpgradeResourceState.Response: upgraded_state = 1, diagnostics = 2. */
export function encodeUpgradeResourceState(
  state: Uint8Array | undefined,
  ds?: readonly Diagnostic[],
): Buffer {
  return new MessageWriter()
    .message(1, state && writeDynamicValue(state))
    .messages(2, diagnostics(ds))
    .finish();
}

/** ReadResource.Response: new_state = 1, diagnostics = 2, private = 3. */
export function encodeReadResource(
  state: Uint8Array | undefined,
  priv: Uint8Array,
  ds?: readonly Diagnostic[],
): Buffer {
  return new MessageWriter()
    .message(1, state && writeDynamicValue(state))
    .messages(2, diagnostics(ds))
    .bytes(3, priv)
    .finish();
}

/** PlanResourceChange.Response: planned_state = 1, requires_replace = 2, planned_private = 3, diagnostics = 4. */
export function encodePlanResourceChange(
  planned: Uint8Array | undefined,
  requiresReplace: readonly AttributePath[],
  priv: Uint8Array,
  ds?: readonly Diagnostic[],
): Buffer {
  return new MessageWriter()
    .message(1, planned && writeDynamicValue(planned))
    .messages(2, requiresReplace.map(writeAttributePath))
    .bytes(3, priv)
    .messages(4, diagnostics(ds))
    .finish();
}

/** ApplyResourceChange.Response: new_state = 1, private = 2, diagnostics = 3. */
export function encodeApplyResourceChange(
  state: Uint8Array | undefined,
  priv: Uint8Array,
  ds?: readonly Diagnostic[],
): Buffer {
  return new MessageWriter()
    .message(1, state && writeDynamicValue(state))
    .bytes(2, priv)
    .messages(3, diagnostics(ds))
    .finish();
}

/**
 * ImportResourceState.Response: imported_resources = 1, diagnostics = 2;
 * ImportedResource { type_name = 1, state = 2, private = 3 }.
 */
export function encodeImportResourceState(
  resources: readonly { typeName: string; state: Uint8Array; private?: Uint8Array }[],
  ds?: readonly Diagnostic[],
): Buffer {
  return new MessageWriter()
    .messages(
      1,
      resources.map((r) =>
        new MessageWriter().string(1, r.typeName).message(2, writeDynamicValue(r.state)).bytes(3, r.private),
      ),
    )
    .messages(2, diagnostics(ds))
    .finish();
}

/** StopProvider.Response: Error = 1. */
export function encodeStopProvider(error: string | undefined): Buffer {
  return new MessageWriter().string(1, error).finish();
}

/** CallFunction.Response: error = 2 (FunctionError: text = 1). */
export function encodeCallFunctionError(text: string): Buffer {
  return new MessageWriter().message(2, new MessageWriter().string(1, text)).finish();
}

/** grpc.health.v1.HealthCheckResponse: status = 1 (SERVING = 1). */
export function encodeHealthServing(): Buffer {
  return new MessageWriter().int(1, 1).finish();
}

export const EMPTY_MESSAGE = Buffer.alloc(0);
