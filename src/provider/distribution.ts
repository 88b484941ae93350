/**
 * Where the bundled provider lives and how it is placed for Terraform
 * (an implied local mirror: <dir>/registry.terraform.io/alisg/alisg/<version>/<os>_<arch>/).
 * Used by `alisg install-provider` and by the cdktf constructs at synth time.
 */
export const PROVIDER_HOSTNAME = "registry.terraform.io";
export const PROVIDER_NAMESPACE = "alisg";
export const PROVIDER_TYPE = "alisg";
export const PROVIDER_SOURCE = `${PROVIDER_NAMESPACE}/${PROVIDER_TYPE}`;

/**
 * Copies the bundled provider (launcher + JavaScript) into `pluginDir` in the
 * implied-mirror layout and returns the directory it wrote.
 * (Placeholder: implemented with the provider bundle.)
 */
export function installProvider(pluginDir: string): string {
  throw new Error(`installProvider(${pluginDir}) is not implemented yet`);
}
