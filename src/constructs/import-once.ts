/**
 * `importFrom(id)` for the alisg constructs, at the scale of an adoption.
 *
 * cdktf's (and cdktn's) `TerraformResource.importFrom` adds, to each resource
 * it imports, a validation that runs `terraform version` in a shell at synth
 * to check that Terraform is 1.5 or newer. One process per resource: a stack
 * that imports 900 memberships (what `alisg adopt --format cdktf` writes for
 * 300 instances) spends minutes starting Terraform at every synth. The alisg
 * constructs keep `importFrom` exactly as the CDK does it, except that this
 * check is made once per stack: the first import's check moves to the stack,
 * later ones are dropped. Any other validation the CDK adds stays where the
 * CDK put it.
 */
import type { IConstruct, IValidation } from "constructs";
import { TerraformStack } from "cdktf";

/** The CDK's check, by its class name (the same in cdktf and cdktn). */
const VERSION_CHECK = "ValidateTerraformVersion";
// Symbol.for: one check per stack even if two copies of this library are loaded.
const CHECKED = Symbol.for("alisg/constructs/import-version-check");

/** Runs `importFrom` (the CDK's own, passed in) with its version check added to the stack, once. */
export function importOnceChecked(resource: IConstruct, importFrom: () => void): void {
  const node = resource.node;
  const stack = TerraformStack.of(resource) as TerraformStack & { [CHECKED]?: true };
  const addValidation = node.addValidation.bind(node);
  node.addValidation = (validation: IValidation) => {
    if (validation.constructor.name !== VERSION_CHECK) return addValidation(validation);
    if (stack[CHECKED]) return;
    Object.defineProperty(stack, CHECKED, { value: true });
    stack.node.addValidation(validation);
  };
  try {
    importFrom();
  } finally {
    // The instance property shadowed the prototype's method; removing it restores that.
    delete (node as { addValidation?: unknown }).addValidation;
  }
}
