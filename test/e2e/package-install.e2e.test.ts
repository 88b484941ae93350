/**
 * The package as a user gets it: `npm pack`, installed into two fresh apps, one on cdktf 0.21
 * (examples/basic) and one on cdktn 0.24 (examples/cdktn). Each app type-checks against the
 * installed declarations, loads its entry point with require() and import, synthesizes with
 * `app.synth()` and deploys with the real terraform against the emulator from the synthesized stack
 * directory, on the Node.js running jest (20). The cdktn app is then deployed again with cdktn's own
 * CLI (`cdktn deploy`, `cdktn diff`; cdktn-cli 0.24 needs Node.js 22.19+) on Node.js 22 and on 24,
 * with the CLI, the app and the provider all run by that Node.js (test/e2e/cdktf-cli.e2e.test.ts
 * covers `cdktf deploy`).
 *
 * npm installs with --prefer-offline: the CDKs and most dependencies are the versions `npm ci` of
 * this repository has already put in npm's cache; what is missing comes from the registry.
 * Needs dist/ (npm test builds first).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { loadSeedFile, type EmulatorSeed } from "../../src/emulator/server";
import { OTHER_NODES, pathWithNode, recordNodeVersions, type NodeRuntime } from "../support/node-matrix";
import { Cloud, runProcess, type RunResult } from "./harness";

jest.setTimeout(300_000);

const root = join(__dirname, "..", "..");
const PACKAGE = "cdktf-alicloud-sg-attachment";
const seedFile = join(root, "examples", "demo-seed.json");

interface Flavour {
  /** The CDK the app asked for, and the one it must not get. */
  readonly cdk: "cdktf" | "cdktn";
  readonly otherCdk: "cdktf" | "cdktn";
  /** What the app imports the library as. */
  readonly entry: string;
  /** The app's own dependencies before it installs the library (as its CDK's app template has them). */
  readonly dependencies: Record<string, string>;
  /** The example's main.ts, copied unchanged. */
  readonly mainTs: string;
}

const FLAVOURS: Flavour[] = [
  {
    cdk: "cdktf",
    otherCdk: "cdktn",
    entry: PACKAGE,
    dependencies: { cdktf: "^0.21.0", constructs: "^10.4.2" },
    mainTs: join(root, "examples", "basic", "src", "main.ts"),
  },
  {
    cdk: "cdktn",
    otherCdk: "cdktf",
    entry: `${PACKAGE}/cdktn`,
    dependencies: (
      JSON.parse(readFileSync(join(root, "examples", "cdktn", "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies,
    mainTs: join(root, "examples", "cdktn", "main.ts"),
  },
];

/** This process's environment without what `npm test` adds for its own run (npm_config_*, ...). */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !/^npm_/i.test(k) &&
      !k.startsWith("ALIBABA_CLOUD_") &&
      !k.startsWith("ALICLOUD_")
    ) {
      env[k] = v;
    }
  }
  return { ...env, ...extra };
}

function npm(args: string[], cwd: string): Promise<RunResult> {
  return runProcess(
    "npm",
    args,
    cwd,
    cleanEnv({ NO_UPDATE_NOTIFIER: "1", npm_config_update_notifier: "false" }),
  );
}

function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.output}`);
}

interface Packed {
  tarball: string;
  files: string[];
}

let work: string;
let packed: Packed;
/** One emulator for both apps (so that both synthesize the same endpoint), reset before each deploy. */
let cloud: Cloud;
const apps = new Map<string, string>();

/** A fresh app for one CDK with the packed library installed, as its README tells users. */
async function installApp(flavour: Flavour): Promise<string> {
  const dir = join(work, `app-${flavour.cdk}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify(
      {
        name: `alisg-${flavour.cdk}-app`,
        version: "0.0.0",
        private: true,
        dependencies: flavour.dependencies,
      },
      null,
      2,
    ),
  );
  copyFileSync(flavour.mainTs, join(dir, "main.ts"));
  // The cdktn example's tsconfig: CommonJS with the classic ("node") resolution, as both app templates;
  // its cdktf.json (`"app": "node dist/main.js"`), which cdktn's CLI reads as cdktf's does.
  copyFileSync(join(root, "examples", "cdktn", "tsconfig.json"), join(dir, "tsconfig.json"));
  copyFileSync(join(root, "examples", "cdktn", "cdktf.json"), join(dir, "cdktf.json"));
  // --omit=dev: the example's typescript and @types/node are this repository's (tsc below).
  const install = await npm(
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--omit=dev", packed.tarball],
    dir,
  );
  expectSuccess(install, `npm install in the ${flavour.cdk} app`);
  return dir;
}

/**
 * Compiles the app's main.ts to dist/main.js against the installed declarations. The library's
 * declarations are checked too (--skipLibCheck false): one that named the other CDK would not resolve.
 */
async function compileApp(dir: string): Promise<void> {
  const tsc = await runProcess(
    join(root, "node_modules", ".bin", "tsc"),
    ["-p", "tsconfig.json", "--skipLibCheck", "false", "--typeRoots", join(root, "node_modules", "@types")],
    dir,
    { PATH: process.env.PATH ?? "" },
  );
  expectSuccess(tsc, "tsc");
}

/** Runs terraform in a synthesized stack's directory, with `home` as HOME and no CLI configuration. */
function terraformIn(stackDir: string, home: string): (args: string[]) => Promise<RunResult> {
  return (args) =>
    runProcess("terraform", [...args, "-no-color"], stackDir, {
      PATH: process.env.PATH ?? "",
      HOME: home,
      TF_CLI_CONFIG_FILE: "/dev/null",
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
    });
}

/** An app that attaches the same pair twice, which the synth-time checks refuse; returns its file name. */
function writeDuplicateApp(dir: string, flavour: Flavour): string {
  writeFileSync(
    join(dir, "duplicate.cjs"),
    `const { App, TerraformStack } = require(${JSON.stringify(flavour.cdk)});
const { AlisgProvider, SecurityGroupAttachment } = require(${JSON.stringify(flavour.entry)});
const app = new App({ outdir: "duplicate.out" });
const stack = new TerraformStack(app, "duplicate");
new AlisgProvider(stack, "alisg", { region: "cn-hangzhou" });
new SecurityGroupAttachment(stack, "first", { instanceId: "i-web1", securityGroupId: "sg-web" });
new SecurityGroupAttachment(stack, "second", { instanceId: "i-web1", securityGroupId: "sg-web" });
app.synth();
`,
  );
  return "duplicate.cjs";
}

/** An app of the ENI constructs: an additive attachment and an authoritative set; returns its file name. */
function writeEniApp(dir: string, flavour: Flavour): string {
  writeFileSync(
    join(dir, "eni.cjs"),
    `const { App, TerraformStack } = require(${JSON.stringify(flavour.cdk)});
const { AlisgProvider, NetworkInterfaceSecurityGroupAttachment, NetworkInterfaceSecurityGroups } = require(${JSON.stringify(flavour.entry)});
const app = new App({ outdir: "eni.out" });
const stack = new TerraformStack(app, "eni");
new AlisgProvider(stack, "alisg", {
  region: "cn-hangzhou",
  endpoint: process.env.ALIBABA_CLOUD_ECS_ENDPOINT,
  accessKey: "test",
  secretKey: "test",
});
new NetworkInterfaceSecurityGroupAttachment(stack, "web1-tenant", { networkInterfaceId: "eni-web1b", securityGroupId: "sg-web" });
new NetworkInterfaceSecurityGroups(stack, "db1-backup", { networkInterfaceId: "eni-db1b", securityGroupIds: ["sg-base", "sg-db"] });
app.synth();
`,
  );
  return "eni.cjs";
}

/** The demo seed with a secondary ENI on i-web1 and on i-db1. */
function seedWithEnis(): EmulatorSeed {
  return {
    ...loadSeedFile(seedFile),
    networkInterfaces: [
      { networkInterfaceId: "eni-web1b", instanceId: "i-web1", securityGroupIds: ["sg-base"] },
      { networkInterfaceId: "eni-db1b", instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-web"] },
    ],
  };
}

beforeAll(async () => {
  cloud = await Cloud.start(loadSeedFile(seedFile));
  work = mkdtempSync(join(tmpdir(), "alisg-package-"));
  // --ignore-scripts: dist/ is already built; `prepare` would build it again.
  const pack = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work], root);
  expectSuccess(pack, "npm pack");
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packed = { tarball: join(work, info.filename), files: info.files.map((f) => f.path).sort() };
  const dirs = await Promise.all(FLAVOURS.map(installApp));
  FLAVOURS.forEach((f, i) => apps.set(f.cdk, dirs[i]));
});

afterAll(async () => {
  await cloud?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  test("holds what an installed copy runs, its types and LICENSE, and none of the repository's sources or tests", async () => {
    const files = new Set(packed.files);
    for (const f of ["LICENSE", "README.md", "package.json", "bin/alisg.js", "examples/demo-seed.json"]) {
      expect(files).toContain(f);
    }
    expect(files).toContain("dist/provider/terraform-provider-alisg");
    expect(files).toContain("dist/provider/provider.cjs");
    expect(files).toContain("dist/provider/provider-bundle.cjs");
    const stray = packed.files.filter(
      (f) =>
        /^(src|test|scripts|docs|examples\/(basic|cdktn))\//.test(f) ||
        /\.test\.|\.tsbuildinfo$|\.map$|^tsconfig|^jest\.config|^\.ci\//.test(f),
    );
    expect(stray).toEqual([]);

    // exports: every entry point has types, and both files are in the tarball.
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, string | { types: string; default: string }>;
      bin: Record<string, string>;
    };
    const entries = Object.entries(manifest.exports).filter(([k]) => k !== "./package.json");
    expect(entries.map(([k]) => k).sort()).toEqual([".", "./cdktn"]);
    for (const [, target] of entries) {
      expect(typeof target).toBe("object");
      const { types, default: js } = target as { types: string; default: string };
      expect(files).toContain(types.replace(/^\.\//, ""));
      expect(files).toContain(js.replace(/^\.\//, ""));
    }

    // Every module the entry points and the CLI reach is packed, with its declarations.
    const result = await build({
      entryPoints: [
        ...entries.map(([, t]) => join(root, (t as { default: string }).default)),
        join(root, "dist", "cli", "main.js"),
      ],
      bundle: true,
      platform: "node",
      packages: "external",
      write: false,
      metafile: true,
      outdir: join(work, "reachability"),
      logLevel: "silent",
    });
    const missing = Object.keys(result.metafile.inputs)
      .flatMap((js) => [js, js.replace(/\.js$/, ".d.ts")])
      .filter((f) => f.startsWith("dist/") && existsSync(join(root, f)) && !files.has(f));
    // A module listed here is needed at run time: take it out of the "!..." entries of "files".
    expect(missing).toEqual([]);
  });
});

describe.each(FLAVOURS)("a fresh $cdk app with the packed package", (flavour) => {
  const app = () => apps.get(flavour.cdk)!;
  const node = (script: string, env: Record<string, string> = {}) =>
    runProcess(process.execPath, [script], app(), { PATH: process.env.PATH ?? "", HOME: app(), ...env });

  test(`has one copy of constructs and no ${flavour.otherCdk}`, async () => {
    const ls = await npm(["ls", "--all", "--parseable", "constructs", "cdktf", "cdktn"], app());
    expectSuccess(ls, "npm ls");
    const paths = ls.stdout
      .split("\n")
      .filter(Boolean)
      .filter((p) => p !== app())
      .map((p) => p.slice(app().length + 1))
      .sort();
    expect(paths).toEqual([`node_modules/${flavour.cdk}`, "node_modules/constructs"]);
    // The library's own folder holds no nested copy of anything the app shares with it.
    expect(existsSync(join(app(), "node_modules", PACKAGE, "node_modules"))).toBe(false);
  });

  test("loads the entry point with require() and import, on the app's own CDK", async () => {
    writeFileSync(
      join(app(), "load.cjs"),
      `const lib = require(${JSON.stringify(flavour.entry)});
const cdk = require(${JSON.stringify(flavour.cdk)});
for (const name of ["AlisgProvider", "SecurityGroupAttachment", "InstanceSecurityGroups"]) {
  if (typeof lib[name] !== "function") throw new Error("require: no " + name);
}
if (!(lib.AlisgProvider.prototype instanceof cdk.TerraformProvider)) throw new Error("require: another CDK's provider");
if (!(lib.SecurityGroupAttachment.prototype instanceof cdk.TerraformResource)) throw new Error("require: another CDK's resource");
let other = true;
try { require.resolve(${JSON.stringify(flavour.otherCdk)}); } catch { other = false; }
if (other) throw new Error("${flavour.otherCdk} is installed");
console.log("require ok");
`,
    );
    writeFileSync(
      join(app(), "load.mjs"),
      `import { AlisgProvider, InstanceSecurityGroups, SecurityGroupAttachment, startEmulator } from ${JSON.stringify(flavour.entry)};
import { TerraformProvider, TerraformResource } from ${JSON.stringify(flavour.cdk)};
if (!(AlisgProvider.prototype instanceof TerraformProvider)) throw new Error("import: another CDK's provider");
if (!(InstanceSecurityGroups.prototype instanceof TerraformResource)) throw new Error("import: another CDK's resource");
if (typeof SecurityGroupAttachment !== "function" || typeof startEmulator !== "function") throw new Error("import: missing exports");
console.log("import ok");
`,
    );
    const cjs = await node("load.cjs");
    expectSuccess(cjs, "require()");
    expect(cjs.stdout).toContain("require ok");
    const esm = await node("load.mjs");
    expectSuccess(esm, "import");
    expect(esm.stdout).toContain("import ok");
  });

  test("type-checks the example against the installed declarations, synthesizes it and deploys it with terraform", async () => {
    await compileApp(app());

    await cloud.reset(loadSeedFile(seedFile));
    const synth = await node("dist/main.js", { ALIBABA_CLOUD_ECS_ENDPOINT: cloud.url });
    expectSuccess(synth, "synth");
    const stackDir = join(app(), "cdktf.out", "stacks", "basic");
    expect(existsSync(join(stackDir, "cdk.tf.json"))).toBe(true);

    const terraform = terraformIn(stackDir, app());
    expectSuccess(await terraform(["init"]), "terraform init");
    const apply = await terraform(["apply", "-auto-approve"]);
    expectSuccess(apply, "terraform apply");
    expect(apply.stdout).toContain("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.");
    expect(await cloud.changes()).toEqual(["Join i-web1 sg-web"]);
    expect(await cloud.sortedGroupsOf("i-web1")).toEqual(["sg-base", "sg-web"]);
    expect(await cloud.sortedGroupsOf("i-db1")).toEqual(["sg-base", "sg-db"]);

    const again = await terraform(["plan", "-detailed-exitcode"]);
    expect(again.code).toBe(0);
  });

  test("deploys the ENI constructs with terraform: the attachment joins, the set joins and leaves, the next plan is clean", async () => {
    await cloud.reset(seedWithEnis());
    const synth = await node(writeEniApp(app(), flavour), { ALIBABA_CLOUD_ECS_ENDPOINT: cloud.url });
    expectSuccess(synth, "synth");
    const stackDir = join(app(), "eni.out", "stacks", "eni");
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(json.resource).sort()).toEqual([
      "alisg_network_interface_attachment",
      "alisg_network_interface_security_groups",
    ]);

    const terraform = terraformIn(stackDir, app());
    expectSuccess(await terraform(["init"]), "terraform init");
    const apply = await terraform(["apply", "-auto-approve"]);
    expectSuccess(apply, "terraform apply");
    expect(apply.stdout).toContain("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
    // The set joins sg-db before it leaves sg-web (join first), and the instances' own groups stay.
    const changes = await cloud.changes();
    expect([...changes].sort()).toEqual([
      "Join eni-db1b sg-db",
      "Join eni-web1b sg-web",
      "Leave eni-db1b sg-web",
    ]);
    expect(changes.indexOf("Join eni-db1b sg-db")).toBeLessThan(changes.indexOf("Leave eni-db1b sg-web"));
    expect(await cloud.networkInterfaceGroupsOf("eni-web1b")).toEqual(["sg-base", "sg-web"]);
    expect(await cloud.networkInterfaceGroupsOf("eni-db1b")).toEqual(["sg-base", "sg-db"]);
    expect(await cloud.sortedGroupsOf("i-web1")).toEqual(["sg-base"]);
    expect(await cloud.sortedGroupsOf("i-db1")).toEqual(["sg-base", "sg-db"]);

    const again = await terraform(["plan", "-detailed-exitcode"]);
    expect(again.code).toBe(0);
  });

  test("refuses a duplicate pair at synth with [alisg:DuplicateAttachment]", async () => {
    const synth = await node(writeDuplicateApp(app(), flavour));
    expect(synth.code).not.toBe(0);
    expect(synth.output).toContain("[alisg:DuplicateAttachment]");
    expect(existsSync(join(app(), "duplicate.out", "stacks", "duplicate", "cdk.tf.json"))).toBe(false);
  });
});

describe("the cdktf and the cdktn app", () => {
  /** The stack as synthesized above, without the "//" metadata (the CDK's name and version). */
  function synthesized(cdk: string): { json: unknown; lock: string; provider: string[] } {
    const stackDir = join(apps.get(cdk)!, "cdktf.out", "stacks", "basic");
    const strip = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(strip)
        : value && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value)
                .filter(([k]) => k !== "//")
                .map(([k, v]) => [k, strip(v)]),
            )
          : value;
    return {
      // The local backend's state path is inside each app.
      json: strip(
        JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8").split(apps.get(cdk)!).join("<app>")),
      ),
      lock: readFileSync(join(stackDir, ".terraform.lock.hcl"), "utf8"),
      provider: readdirSync(join(stackDir, "terraform.d", "plugins"), { recursive: true })
        .map(String)
        .sort(),
    };
  }

  test("synthesize the same Terraform configuration and place the same provider", () => {
    const cdktf = synthesized("cdktf");
    const cdktn = synthesized("cdktn");
    expect(cdktn.json).toEqual(cdktf.json);
    expect(cdktn.lock).toEqual(cdktf.lock);
    expect(cdktn.provider).toEqual(cdktf.provider);
    expect(cdktf.provider.length).toBeGreaterThan(0);
  });
});

const cdktnFlavour = FLAVOURS.find((f) => f.cdk === "cdktn")!;
const cdktnApp = () => apps.get("cdktn")!;

/**
 * cdktn's CLI in the cdktn app with `runtime` first on PATH, so that the CLI, the app it runs
 * and the provider's launcher all use it; each of them records its Node.js version in `nodeLog`.
 */
function cdktnCli(runtime: NodeRuntime): {
  run(args: string[]): Promise<RunResult>;
  nodeVersions(): string[];
} {
  const home = mkdtempSync(join(work, `home-node${runtime.major}-`));
  const nodeLog = join(home, "node-versions.log");
  return {
    run: (args) =>
      runProcess(join(root, "node_modules", ".bin", "cdktn"), args, cdktnApp(), {
        PATH: pathWithNode(runtime),
        HOME: home,
        ALIBABA_CLOUD_ECS_ENDPOINT: cloud.url,
        TF_CLI_CONFIG_FILE: "/dev/null",
        CHECKPOINT_DISABLE: "1",
        DISABLE_VERSION_CHECK: "true",
        TF_IN_AUTOMATION: "1",
        FORCE_COLOR: "0",
        CI: "1",
        ...recordNodeVersions(nodeLog),
      }),
    nodeVersions: () => readFileSync(nodeLog, "utf8").split("\n").filter(Boolean),
  };
}

describe.each(OTHER_NODES)("the cdktn app deployed with cdktn's CLI on Node.js $major", (runtime) => {
  // Compiled by the test above unless it was left out (jest -t).
  beforeAll(async () => {
    if (!existsSync(join(cdktnApp(), "dist", "main.js"))) await compileApp(cdktnApp());
  });

  test("cdktn deploy deploys it, and cdktn diff shows no changes afterwards", async () => {
    const cdktn = cdktnCli(runtime);
    // A first deployment: no output or state of an earlier one, the world as seeded.
    for (const stale of ["cdktf.out", "terraform.basic.tfstate", "terraform.basic.tfstate.backup"]) {
      rmSync(join(cdktnApp(), stale), { recursive: true, force: true });
    }
    await cloud.reset(loadSeedFile(seedFile));

    const deploy = await cdktn.run(["deploy", "basic", "--auto-approve"]);
    expectSuccess(deploy, "cdktn deploy");
    expect(deploy.output).toContain("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.");
    expect(await cloud.changes()).toEqual(["Join i-web1 sg-web"]);
    expect(await cloud.sortedGroupsOf("i-web1")).toEqual(["sg-base", "sg-web"]);
    expect(await cloud.sortedGroupsOf("i-db1")).toEqual(["sg-base", "sg-db"]);

    await cloud.clearCalls();
    const diff = await cdktn.run(["diff", "basic"]);
    expectSuccess(diff, "cdktn diff");
    expect(diff.output).toContain("No changes.");
    expect(await cloud.changes()).toEqual([]);

    // cdktn, the app and every provider process ran on this Node.js, and on no other.
    const versions = cdktn.nodeVersions();
    expect(versions.length).toBeGreaterThanOrEqual(3);
    expect(new Set(versions)).toEqual(new Set([runtime.version]));
  });
});

// Once is enough for the synth-time refusal: it comes before any terraform or provider runs.
test(`a synth-time check fails cdktn deploy (cdktn's CLI on Node.js ${OTHER_NODES[0].major}) before anything is planned`, async () => {
  const cdktn = cdktnCli(OTHER_NODES[0]);
  await cloud.clearCalls();
  const file = writeDuplicateApp(cdktnApp(), cdktnFlavour);
  const deploy = await cdktn.run(["deploy", "duplicate", "--auto-approve", "--app", `node ${file}`]);
  expect(deploy.code).not.toBe(0);
  expect(deploy.output).toContain("[alisg:DuplicateAttachment]");
  expect(deploy.output).not.toContain("Apply complete");
  expect(existsSync(join(cdktnApp(), "duplicate.out", "stacks", "duplicate", "cdk.tf.json"))).toBe(false);
  expect(await cloud.calls()).toEqual([]);
  expect(new Set(cdktn.nodeVersions())).toEqual(new Set([OTHER_NODES[0].version]));
});
