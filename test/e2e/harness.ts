import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorSeed } from "../../src/emulator/server";
import type { InstanceStatus, LockReason, SecurityGroupType } from "../../src/emulator/state";
import { installProvider } from "../../src/provider/distribution";
import { packageVersion } from "../../src/version";
import { Cloud } from "../support/emulator";
import { recordNodeVersions, type NodeRuntime } from "../support/node-matrix";

export { Cloud };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr */
  output: string;
}

export interface InstanceSeed {
  instanceId: string;
  vpcId?: string;
  status?: InstanceStatus;
  securityGroupIds: string[];
  lockReasons?: LockReason[];
}

export interface GroupSeed {
  securityGroupId: string;
  vpcId?: string;
  type?: SecurityGroupType;
}

export const ACCESS_KEY = "e2e-key";
export const SECRET = "e2e-secret-Zq8Xv1";

/** A seed in the emulator's format with defaults filled in (one VPC, Running, no locks). */
export function seed(instances: InstanceSeed[], groups: (GroupSeed | string)[]): EmulatorSeed {
  return {
    regionId: "cn-hangzhou",
    accessKeys: [{ accessKeyId: ACCESS_KEY, accessKeySecret: SECRET }],
    maxSecurityGroupsPerInstance: 5,
    securityGroups: groups.map((g) =>
      typeof g === "string"
        ? { securityGroupId: g, vpcId: "vpc-main", type: "normal" as const }
        : { vpcId: "vpc-main", type: "normal" as const, ...g },
    ),
    instances: instances.map((i) => ({
      vpcId: "vpc-main",
      status: "Running" as const,
      lockReasons: [],
      ...i,
    })),
  };
}

export interface ProviderBlock {
  region?: string;
  endpoint?: string;
  access_key?: string;
  secret_key?: string;
  security_token?: string;
  /** undefined: the provider's default (the harness otherwise sets 2). */
  max_retries?: number;
  read_timeout?: string;
  max_security_groups_per_instance?: number;
  protected_security_group_ids?: string[];
}

/** A Terraform working directory of its own, with the provider in its implied local mirror. */
export class Workspace {
  readonly dir: string;
  private readonly cliConfig: string;
  private readonly nodeLog: string;

  /**
   * @param providerNode the Node.js that runs the provider (`ALISG_PROVIDER_NODE`), with each
   * provider process's version recorded (see {@link providerNodeVersions}); default: `node` on PATH
   */
  constructor(
    private readonly cloud: Cloud,
    private readonly providerNode?: NodeRuntime,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "alisg-e2e-"));
    this.nodeLog = join(this.dir, "provider-node-versions.log");
    installProvider(join(this.dir, "terraform.d", "plugins"));
    this.cliConfig = join(this.dir, "cli.tfrc");
    writeFileSync(this.cliConfig, "# no registry, no network: the provider comes from terraform.d/plugins\n");
  }

  /**
   * Writes main.tf.json: the provider block plus the given resources (type ->
   * name -> body), and any other top-level blocks (e.g. `moved`).
   */
  configure(
    resources: Record<string, Record<string, object>>,
    provider: ProviderBlock = {},
    blocks: Record<string, unknown> = {},
  ): void {
    const config = {
      terraform: {
        required_providers: { alisg: { source: "alisg/alisg", version: packageVersion() } },
      },
      provider: {
        alisg: {
          region: "cn-hangzhou",
          endpoint: this.cloud.url,
          access_key: ACCESS_KEY,
          secret_key: SECRET,
          max_retries: 2,
          ...provider,
        },
      },
      ...(Object.keys(resources).length > 0 ? { resource: resources } : {}),
      ...blocks,
    };
    writeFileSync(join(this.dir, "main.tf.json"), JSON.stringify(config, null, 2));
  }

  /** Runs terraform with a config file of its own, no checkpoint calls, no colour. */
  terraform(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    return runProcess("terraform", args, this.dir, {
      PATH: process.env.PATH ?? "",
      HOME: this.dir,
      TF_CLI_CONFIG_FILE: this.cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      ...(this.providerNode
        ? { ALISG_PROVIDER_NODE: this.providerNode.bin, ...recordNodeVersions(this.nodeLog) }
        : {}),
      ...env,
    });
  }

  /** The distinct Node.js versions the provider ran on so far (only with a `providerNode`). */
  providerNodeVersions(): string[] {
    if (!existsSync(this.nodeLog)) return [];
    return [...new Set(readFileSync(this.nodeLog, "utf8").split("\n").filter(Boolean))];
  }

  async init(): Promise<void> {
    const r = await this.terraform(["init", "-no-color"]);
    if (r.code !== 0) throw new Error(`terraform init failed:\n${r.output}`);
  }

  plan(extra: string[] = []): Promise<RunResult> {
    return this.terraform(["plan", "-no-color", "-detailed-exitcode", ...extra]);
  }

  apply(extra: string[] = []): Promise<RunResult> {
    return this.terraform(["apply", "-no-color", "-auto-approve", ...extra]);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Resource blocks for attachments: name -> [instance, group]. */
export function attachments(
  pairs: Record<
    string,
    | [string, string]
    | {
        instance_id: string;
        security_group_id: string;
        retain_on_delete?: boolean;
        timeouts?: { create?: string; update?: string; delete?: string };
      }
  >,
): Record<string, Record<string, object>> {
  const blocks: Record<string, object> = {};
  for (const [name, v] of Object.entries(pairs)) {
    blocks[name] = Array.isArray(v) ? { instance_id: v[0], security_group_id: v[1] } : v;
  }
  return { alisg_attachment: blocks };
}

/** Fails with Terraform's output when the exit code is not the expected one. */
export function expectExit(result: RunResult, code: number): void {
  if (result.code !== code) {
    throw new Error(`expected exit ${code}, got ${result.code}\n--- output ---\n${result.output}`);
  }
}

/** Errors and warnings as Terraform prints them with -no-color (the first line of each). */
export function headlines(r: RunResult, kind: "Error" | "Warning"): string[] {
  return r.output
    .split("\n")
    .filter((l) => l.startsWith(`${kind}: `))
    .map((l) => l.slice(kind.length + 2));
}

/**
 * Runs a command to completion without blocking the event loop (the emulator
 * answers from this same process), with exactly the environment given.
 */
export function runProcess(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr }));
  });
}

/**
 * One emulator per test file (or describe block) and a fresh workspace per
 * test: registers the hooks and returns where the tests find them. Before each
 * test the world is reset to `world()`, with no faults and an empty call log.
 * With `providerNode`, the provider runs on that Node.js, and each test also
 * checks that every provider process did.
 */
export function useCloud(
  world: () => EmulatorSeed,
  options: { providerNode?: NodeRuntime } = {},
): { readonly cloud: Cloud; readonly ws: Workspace } {
  let cloud: Cloud | undefined;
  let ws: Workspace | undefined;
  beforeAll(async () => {
    cloud = await Cloud.start(world());
  });
  afterAll(async () => {
    await cloud?.close();
  });
  beforeEach(async () => {
    await cloud!.clearFaults();
    await cloud!.replaceState(world());
    await cloud!.clearCalls();
    ws = new Workspace(cloud!, options.providerNode);
  });
  afterEach(() => {
    try {
      if (options.providerNode) expect(ws!.providerNodeVersions()).toEqual([options.providerNode.version]);
    } finally {
      ws?.cleanup();
    }
  });
  return {
    get cloud() {
      return cloud!;
    },
    get ws() {
      return ws!;
    },
  };
}
