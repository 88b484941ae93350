/**
 * Puts the provider bundled with this package into the synthesized stack's
 * directory, at `terraform.d/plugins/registry.terraform.io/alisg/alisg/<version>/<os>_<arch>/`.
 * `cdktf plan`/`cdktf deploy` run `terraform init` in that directory, where
 * `terraform.d/plugins` is an implied local mirror: the provider is found with
 * no install step and no network, and its files (hence the lock-file hash)
 * are the same on every machine. It also records the provider in the stack's
 * `.terraform.lock.hcl` (see lock-file.ts), or `cdktf deploy` would first run
 * `terraform providers lock`, which only asks the registry.
 *
 * One placement serves both engines: the stack names the provider fully
 * qualified (`registry.terraform.io/alisg/alisg`, see alisg-provider.ts), which
 * OpenTofu (`TERRAFORM_BINARY_NAME=tofu` for cdktn) looks up under the same
 * host directory of the same implied mirror.
 *
 * The hook is cdktf's per-construct custom synthesis (`addCustomSynthesis`),
 * the mechanism `TerraformAsset` uses to copy files next to the stack. It is
 * called by the stack's `StackSynthesizer` with the synthesis session (output
 * dir + manifest) for every stack synthesized by `app.synth()` (hence by
 * `cdktf synth|plan|deploy`) and by `Testing.fullSynth()`; `Testing.synth()`
 * writes no files and does not call it. Unlike replacing `stack.synthesizer`,
 * it leaves the user's own synthesizer alone and goes wherever the provider
 * construct goes.
 */
import { join } from "node:path";
import { IConstruct } from "constructs";
import { ISynthesisSession, TerraformStack } from "cdktf";
// Not re-exported by the cdktf entry point; cdktf has no "exports" map, so the path is stable for 0.21.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { installProvider, providerVersion } from "../provider/distribution";
import { lockPlacedProvider } from "./lock-file";

/** The implied local mirror inside a Terraform working directory. */
export const PLUGIN_DIR = join("terraform.d", "plugins");

/** The stack's Terraform working directory in a synthesis session (where `cdk.tf.json` goes). */
export function stackOutputDir(stack: TerraformStack, session: ISynthesisSession): string {
  return join(session.outdir, session.manifest.forStack(stack).workingDirectory);
}

// Several providers (aliases) in one stack place the same files once per session.
const placedBySession = new WeakMap<ISynthesisSession, Set<string>>();

/** Makes every synthesis of `provider`'s stack place the bundled provider into the stack's output. */
export function placeProviderOnSynth(provider: IConstruct): void {
  const stack = TerraformStack.of(provider);
  addCustomSynthesis(provider, {
    onSynthesize(session: ISynthesisSession) {
      const workingDir = stackOutputDir(stack, session);
      const placed = placedBySession.get(session) ?? new Set<string>();
      placedBySession.set(session, placed);
      if (placed.has(workingDir)) return;
      const installed = installProvider(join(workingDir, PLUGIN_DIR));
      lockPlacedProvider(workingDir, installed, providerVersion());
      placed.add(workingDir);
    },
  });
}
