/**
 * What a provider implementation gives the plugin layer. The plugin layer
 * speaks Terraform's protocol (handshake, gRPC, mTLS, msgpack) and hands the
 * implementation plain, decoded values. It knows nothing of any cloud.
 */

/** cty type, as Terraform writes it in JSON. */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["set" | "list" | "map", CtyType]
  | readonly ["object", { readonly [name: string]: CtyType }];

/** A value not known until apply. Refinements (Terraform 1.11+) are not interpreted. */
export class UnknownValue {
  /** Makes the class nominal: no other value is structurally an UnknownValue. */
  readonly kind = "unknown" as const;
  private constructor() {}
  static readonly instance = new UnknownValue();
}
export const unknown = UnknownValue.instance;
export function isUnknown(v: unknown): v is UnknownValue {
  return v instanceof UnknownValue;
}

/** A decoded cty value. Sets and lists are arrays; objects and maps are plain objects. */
export type Value = null | string | number | boolean | UnknownValue | readonly Value[] | ObjectValue;
export interface ObjectValue {
  readonly [name: string]: Value;
}

export interface AttributeSchema {
  readonly name: string;
  readonly type: CtyType;
  readonly description?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
}

export interface BlockSchema {
  /** Schema version of the state (resources only). @default 0 */
  readonly version?: number;
  readonly description?: string;
  readonly attributes: readonly AttributeSchema[];
  /** Nested blocks, e.g. `timeouts { delete = "3s" }`. */
  readonly blocks?: readonly NestedBlockSchema[];
}

/**
 * A nested block. Only `single` nesting is supported: at most one block,
 * its value an object, or null when the block is absent.
 */
export interface NestedBlockSchema {
  readonly name: string;
  readonly nesting: "single";
  readonly block: BlockSchema;
}

/** A path to an attribute: attribute names, then set/list indices are not needed here. */
export type AttributePath = readonly string[];

export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly attribute?: AttributePath;
}

export interface ReadRequest {
  readonly typeName: string;
  readonly currentState: ObjectValue;
  readonly private: Buffer;
}
export interface ReadResponse {
  /** null: the resource is gone and leaves the state. */
  readonly newState: ObjectValue | null;
  readonly diagnostics?: readonly Diagnostic[];
  readonly private?: Buffer;
}

export interface PlanRequest {
  readonly typeName: string;
  /** null on create. */
  readonly priorState: ObjectValue | null;
  /** null on destroy (including a block removed from the configuration). */
  readonly proposedNewState: ObjectValue | null;
  /** null on destroy. */
  readonly config: ObjectValue | null;
  readonly priorPrivate: Buffer;
}
export interface PlanResponse {
  readonly plannedState: ObjectValue | null;
  readonly requiresReplace?: readonly AttributePath[];
  readonly diagnostics?: readonly Diagnostic[];
  readonly plannedPrivate?: Buffer;
}

export interface ApplyRequest {
  readonly typeName: string;
  readonly priorState: ObjectValue | null;
  /** null on destroy. */
  readonly plannedState: ObjectValue | null;
  readonly config: ObjectValue | null;
  readonly plannedPrivate: Buffer;
}
export interface ApplyResponse {
  /** null after a destroy. On error, return what is true (often the prior state). */
  readonly newState: ObjectValue | null;
  readonly diagnostics?: readonly Diagnostic[];
  readonly private?: Buffer;
}

export interface ImportRequest {
  readonly typeName: string;
  readonly id: string;
}
export interface ImportResponse {
  readonly resources: readonly {
    readonly typeName: string;
    readonly state: ObjectValue;
    readonly private?: Buffer;
  }[];
  readonly diagnostics?: readonly Diagnostic[];
}

/** A Terraform provider as the plugin layer sees it. */
export interface ProviderDefinition {
  readonly providerSchema: BlockSchema;
  readonly resourceSchemas: { readonly [typeName: string]: BlockSchema };
  /** Advertise `plan_destroy`: PlanResourceChange is then called for destroys too. */
  readonly planDestroy?: boolean;
  validateProviderConfig?(config: ObjectValue): Promise<readonly Diagnostic[]>;
  configureProvider(config: ObjectValue, terraformVersion: string): Promise<readonly Diagnostic[]>;
  validateResourceConfig?(typeName: string, config: ObjectValue): Promise<readonly Diagnostic[]>;
  readResource(req: ReadRequest): Promise<ReadResponse>;
  planResourceChange(req: PlanRequest): Promise<PlanResponse>;
  applyResourceChange(req: ApplyRequest): Promise<ApplyResponse>;
  importResourceState(req: ImportRequest): Promise<ImportResponse>;
  /** Terraform asked the provider to stop (StopProvider): abandon waits promptly. */
  stop?(): Promise<void>;
}
