import { Testing, TerraformStack } from "cdktf";
import { AlisgProvider } from "../../src";

/** A stack in a test app, with the alisg provider already configured. */
export function stackWithProvider(id = "test"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new AlisgProvider(stack, "alisg", { region: "cn-hangzhou" });
  return stack;
}

/** The synthesized Terraform JSON, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** Synthesizes with validations and returns the error text ("" when the stack is accepted). */
export function validationErrors(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}
