/**
 * The synth-time validation the library adds by itself: the first alisg
 * construct in a stack registers one validation on the stack, which runs the
 * rules over the whole app when the stack is synthesized (`app.synth()`,
 * `cdktf synth`, `Testing.fullSynth`, `Testing.synth(stack, true)`), when the
 * construct tree is complete. A validation (not an aspect) because it only
 * reads, and cannot be skipped by an aspect added while aspects run.
 *
 * A finding is reported by the stacks of the constructs it involves, so a
 * conflict between two stacks stops the synth of either.
 */
import { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { gatherFacts } from "./facts";
import { formatFinding } from "./finding";
import { RULES } from "./rules";

// Symbol.for: one registration per stack even if two copies of this library are loaded.
const REGISTERED = Symbol.for("alisg/constructs/stack-validation");

/** The rules' messages for `stack`, each starting with `[alisg:<code>]`. */
export function validateStack(stack: TerraformStack): string[] {
  const facts = gatherFacts(stack.node.root);
  return RULES.flatMap((rule) => rule(facts))
    .filter((f) => f.constructs.some((c) => TerraformStack.of(c) === stack))
    .map(formatFinding);
}

/** Registers the alisg validation on `scope`'s stack, once. */
export function ensureStackValidation(scope: IConstruct): void {
  const stack = TerraformStack.of(scope) as TerraformStack & { [REGISTERED]?: true };
  if (stack[REGISTERED]) return;
  Object.defineProperty(stack, REGISTERED, { value: true });
  stack.node.addValidation({ validate: () => validateStack(stack) });
}
