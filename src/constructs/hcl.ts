/** One attribute as cdktf's HCL output (`SYNTH_HCL_OUTPUT=true`) expects it. */
export interface HclAttribute {
  readonly value: unknown;
  /** `string`, `number`, `boolean`, `stringList`, ... */
  readonly storageClassType: string;
  /** @default "simple" */
  readonly type?: "simple" | "list" | "set";
}

/** The HCL form of a block's attributes, leaving out the ones not set (as generated bindings do). */
export function hclAttributes(attributes: Record<string, HclAttribute>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { value, storageClassType, type = "simple" }] of Object.entries(attributes)) {
    if (value !== undefined) out[name] = { value, isBlock: false, type, storageClassType };
  }
  return out;
}
