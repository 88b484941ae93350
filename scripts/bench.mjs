// `npm run bench`: medians and ratios measured side by side in one run.
//  1. provider start-up (spawn to handshake) vs bare `node -e ''`  (scripts/bench-startup.mjs)
//  2. terraform plan / apply of N alisg_attachment resources over 250 instances vs the same
//     configuration made of terraform_data resources, and DescribeInstances calls per plan.
// Not a test: it prints numbers. Set BENCH_SIZES=1,100 or BENCH_RUNS=5 to change the work.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { startEmulator } = require(join(root, "dist/emulator/server.js"));
const { installProvider } = require(join(root, "dist/provider/distribution.js"));
const version = require(join(root, "package.json")).version;

const sizes = (process.env.BENCH_SIZES ?? "1,100,1000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const INSTANCES = 250;
const GROUPS = ["sg-g1", "sg-g2", "sg-g3", "sg-g4"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function seed() {
  return {
    regionId: "cn-hangzhou",
    accessKeys: [{ accessKeyId: "bench", accessKeySecret: "bench" }],
    maxSecurityGroupsPerInstance: 5,
    securityGroups: ["sg-base", ...GROUPS].map((securityGroupId) => ({
      securityGroupId,
      vpcId: "vpc-1",
      type: "normal",
    })),
    instances: Array.from({ length: INSTANCES }, (_, n) => ({
      instanceId: `i-bench${n}`,
      vpcId: "vpc-1",
      status: "Running",
      securityGroupIds: ["sg-base"],
      lockReasons: [],
    })),
  };
}

function pairs(n) {
  const out = [];
  for (let k = 0; k < n; k++)
    out.push([`i-bench${k % INSTANCES}`, GROUPS[Math.floor(k / INSTANCES) % GROUPS.length]]);
  return out;
}

function config(kind, n, endpoint) {
  const resource = {};
  const blocks = {};
  pairs(n).forEach(([i, g], k) => {
    blocks[`a${k}`] =
      kind === "alisg"
        ? { instance_id: i, security_group_id: g }
        : { input: { instance_id: i, security_group_id: g } };
  });
  resource[kind === "alisg" ? "alisg_attachment" : "terraform_data"] = blocks;
  const base =
    kind === "alisg"
      ? {
          terraform: { required_providers: { alisg: { source: "alisg/alisg", version } } },
          provider: { alisg: { region: "cn-hangzhou", endpoint, access_key: "bench", secret_key: "bench" } },
        }
      : {};
  return { ...base, resource };
}

function terraform(dir, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("terraform", args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"),
        CHECKPOINT_DISABLE: "1",
        TF_IN_AUTOMATION: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 && !(args[0] === "plan" && code === 2))
        reject(new Error(`terraform ${args.join(" ")} -> ${code}\n${out}`));
      else resolve(ms);
    });
  });
}

async function adminCalls(url) {
  const body = await (await fetch(`${url}/_emulator/calls`)).json();
  return Array.isArray(body) ? body : body.calls;
}

async function measure(kind, n, emulator) {
  const result = { plan: [], apply: [], refreshPlan: [], describesPerPlan: [] };
  for (let r = 0; r < runs; r++) {
    await fetch(`${emulator.url}/_emulator/state`, { method: "PUT", body: JSON.stringify(seed()) });
    const dir = mkdtempSync(join(tmpdir(), `alisg-bench-${kind}-`));
    try {
      writeFileSync(join(dir, "cli.tfrc"), "");
      if (kind === "alisg") installProvider(join(dir, "terraform.d", "plugins"));
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config(kind, n, emulator.url)));
      await terraform(dir, ["init", "-no-color"]);
      await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
      result.plan.push(await terraform(dir, ["plan", "-no-color", "-detailed-exitcode"]));
      const planDescribes = (await adminCalls(emulator.url)).filter(
        (c) => c.action === "DescribeInstances",
      ).length;
      result.apply.push(await terraform(dir, ["apply", "-no-color", "-auto-approve"]));
      await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
      result.refreshPlan.push(await terraform(dir, ["plan", "-no-color", "-detailed-exitcode"]));
      const refreshDescribes = (await adminCalls(emulator.url)).filter(
        (c) => c.action === "DescribeInstances",
      ).length;
      result.describesPerPlan.push([planDescribes, refreshDescribes]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}

async function main() {
  console.log(`# alisg benchmarks (${new Date().toISOString()})`);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
  console.log(spawnSync("terraform", ["version"], { encoding: "utf8" }).stdout.split("\n")[0]);
  console.log("\n## Provider start-up\n");
  const startup = spawnSync(process.execPath, [join(root, "scripts/bench-startup.mjs")], {
    encoding: "utf8",
  });
  process.stdout.write(startup.stdout + startup.stderr);

  console.log(`\n## terraform plan / apply, median of ${runs} (ms); ${INSTANCES} instances\n`);
  console.log(
    "| attachments | alisg plan | data plan | ratio | alisg apply | data apply | ratio | alisg refresh plan | data refresh plan | ratio | DescribeInstances per plan (create / refresh) |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: seed() });
  try {
    for (const n of sizes) {
      const a = await measure("alisg", n, emulator);
      const d = await measure("data", n, emulator);
      const row = (k) => {
        const am = median(a[k]);
        const dm = median(d[k]);
        return `${am.toFixed(0)} | ${dm.toFixed(0)} | ${(am / dm).toFixed(1)}x`;
      };
      const desc = a.describesPerPlan.map(([p, r]) => `${p}/${r}`).join(", ");
      console.log(`| ${n} | ${row("plan")} | ${row("apply")} | ${row("refreshPlan")} | ${desc} |`);
    }
  } finally {
    await emulator.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
