/**
 * The go-plugin handshake: what Terraform puts in the environment of the
 * provider process and the single line the provider answers on stdout.
 */

export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/** go-plugin's own protocol version, then the Terraform plugin protocol version served. */
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 6;

/**
 * Why this process cannot serve Terraform, or undefined when it can.
 * Run by hand, the provider explains itself instead of waiting forever.
 */
export function handshakeProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return (
      "This binary is a plugin. These are not meant to be executed directly.\n" +
      "Please execute the program that consumes these plugins, which will\n" +
      "load any plugins automatically (here: Terraform, through `terraform init`).\n"
    );
  }
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (
    offered &&
    !offered
      .split(",")
      .map((v) => v.trim())
      .includes(String(APP_PROTOCOL_VERSION))
  ) {
    return (
      `This provider speaks Terraform plugin protocol ${APP_PROTOCOL_VERSION}, but Terraform offered ` +
      `${offered}. Use Terraform 1.0 or later.\n`
    );
  }
  return undefined;
}

/** Where the server listens, as go-plugin names it. */
export interface ListenAddress {
  readonly network: "unix" | "tcp";
  readonly address: string;
}

/**
 * `1|6|unix|/tmp/plugin123|grpc|<cert>`: the certificate is DER in base64
 * standard alphabet without padding, or empty when serving plaintext.
 */
export function handshakeLine(listen: ListenAddress, certDer?: Buffer): string {
  const cert = certDer ? certDer.toString("base64").replace(/=+$/, "") : "";
  return [CORE_PROTOCOL_VERSION, APP_PROTOCOL_VERSION, listen.network, listen.address, "grpc", cert].join(
    "|",
  );
}
