// `npm run bench`: medians and ratios measured side by side in one run.
//  1. provider start-up (spawn to handshake) vs bare `node -e ''`, per Node.js (20, 22, 24)
//     on the same binary, warm and cold code cache  (scripts/bench-startup.mjs)
//  2. terraform plan / apply of N alisg_attachment resources over 250 instances vs the same
//     configuration made of terraform_data resources, and DescribeInstances calls per plan.
//     The same runs with two floor providers (scripts/floor-provider): `floor` (alisg's schemas
//     and plugin layer, no work of its own) and `bare` (alisg's start-up, then canned answers over
//     node:http2, no grpc-js): what a provider process on Node.js costs Terraform, and alisg's share.
//  2b. terraform plan of 1 attachment with the provider on each Node.js (20, 22, 24) vs terraform_data.
//  3. GitOps, on one 1000-attachment / 250-instance working dir with one out-of-band change:
//     `alisg drift --dir` vs `terraform plan -refresh-only -detailed-exitcode` (wall time and
//     DescribeInstances calls), and `alisg check-plan` on the dir's saved plan.
//  4. Many changes on one instance: terraform plan of N attachments creating on one instance
//     (limit 20), where the whole-plan judge explores the orders of N steps, vs terraform_data.
//  5. terraform plan / apply of N alisg_network_interface_attachment resources over 250 ENIs:
//     DescribeNetworkInterfaces calls per plan, batched like DescribeInstances in section 2.
// Not a test: it prints numbers. Set BENCH_SIZES=1,100 or BENCH_RUNS=5 to change the work;
// BENCH_ONE_INSTANCE=4,8,12,15 the sizes of section 4; BENCH_ONLY=node, BENCH_ONLY=gitops,
// BENCH_ONLY=one-instance or BENCH_ONLY=eni runs section 2b, 3, 4 or 5 alone, BENCH_ONLY=plans
// section 2 alone.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { benchNodes } from "./bench-nodes.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { startEmulator } = require(join(root, "dist/emulator/server.js"));
const { installProvider, platformDir } = require(join(root, "dist/provider/distribution.js"));
const version = require(join(root, "package.json")).version;

const sizes = (process.env.BENCH_SIZES ?? "1,100,1000").split(",").map(Number);
const oneInstanceSizes = (process.env.BENCH_ONE_INSTANCE ?? "4,8,12,15").split(",").map(Number);
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
    // One secondary ENI per instance (section 4).
    networkInterfaces: Array.from({ length: INSTANCES }, (_, n) => ({
      networkInterfaceId: `eni-bench${n}`,
      instanceId: `i-bench${n}`,
      securityGroupIds: ["sg-base"],
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
      kind === "alisg" || kind in FLOORS
        ? { instance_id: i, security_group_id: g }
        : kind === "eni"
          ? { network_interface_id: i.replace("i-", "eni-"), security_group_id: g }
          : { input: { instance_id: i, security_group_id: g } };
  });
  const types = {
    alisg: "alisg_attachment",
    floor: "alisg_attachment",
    bare: "alisg_attachment",
    eni: "alisg_network_interface_attachment",
    data: "terraform_data",
  };
  resource[types[kind]] = blocks;
  const base =
    kind !== "data"
      ? {
          terraform: {
            required_providers: {
              alisg:
                kind in FLOORS
                  ? { source: FLOORS[kind].source, version: FLOOR_VERSION }
                  : { source: "alisg/alisg", version },
            },
          },
          provider: { alisg: { region: "cn-hangzhou", endpoint, access_key: "bench", secret_key: "bench" } },
        }
      : {};
  return { ...base, resource };
}

// The two floor providers (scripts/floor-provider), each bundled once, on first use:
//   floor: alisg's schemas and plugin layer (grpc-js, protobuf, msgpack), no work of its own;
//   bare:  alisg's start-up, then canned answers over node:http2 directly (no grpc-js).
const FLOORS = {
  floor: { source: "bench/floor", entry: "scripts/floor-provider/main.ts" },
  bare: { source: "bench/bare", entry: "scripts/floor-provider/bare-http2.ts" },
};
const FLOOR_VERSION = "0.0.1";
const floorBuilds = new Map();
function installFloorProvider(kind, pluginsDir) {
  const { source, entry } = FLOORS[kind];
  let build = floorBuilds.get(kind);
  if (!build) {
    build = mkdtempSync(join(tmpdir(), `alisg-bench-${kind}-build-`));
    floorBuilds.set(kind, build);
    process.on("exit", () => rmSync(build, { recursive: true, force: true }));
    const name = `terraform-provider-${source.split("/")[1]}_v${FLOOR_VERSION}`;
    const r = spawnSync(
      process.execPath,
      [
        join(root, "scripts/bundle-provider.mjs"),
        "--entry",
        join(root, entry),
        "--outdir",
        build,
        "--name",
        name,
      ],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`bundling the ${kind} provider failed:\n${r.stderr}${r.stdout}`);
  }
  cpSync(build, join(pluginsDir, "registry.terraform.io", source, FLOOR_VERSION, platformDir()), {
    recursive: true,
  });
}

// One cache directory for every terraform run of the bench: the provider's V8 code cache is
// then warm, as on every plan but a machine's first (the start-up section measures it cold too).
const cacheHome = mkdtempSync(join(tmpdir(), "alisg-bench-cache-"));
process.on("exit", () => rmSync(cacheHome, { recursive: true, force: true }));

function terraform(dir, args, extraEnv = {}) {
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
        XDG_CACHE_HOME: cacheHome,
        ...extraEnv,
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

const countOf = (calls, action) => calls.filter((c) => c.action === action).length;

async function measure(kind, n, emulator, times = runs) {
  const result = { plan: [], apply: [], refreshPlan: [], describesPerPlan: [], eniDescribesPerPlan: [] };
  for (let r = 0; r < times; r++) {
    await fetch(`${emulator.url}/_emulator/state`, { method: "PUT", body: JSON.stringify(seed()) });
    const dir = mkdtempSync(join(tmpdir(), `alisg-bench-${kind}-`));
    try {
      writeFileSync(join(dir, "cli.tfrc"), "");
      if (kind in FLOORS) installFloorProvider(kind, join(dir, "terraform.d", "plugins"));
      else if (kind !== "data") installProvider(join(dir, "terraform.d", "plugins"));
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config(kind, n, emulator.url)));
      await terraform(dir, ["init", "-no-color"]);
      await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
      result.plan.push(await terraform(dir, ["plan", "-no-color", "-detailed-exitcode"]));
      const planCalls = await adminCalls(emulator.url);
      const planDescribes = countOf(planCalls, "DescribeInstances");
      const planEniDescribes = countOf(planCalls, "DescribeNetworkInterfaces");
      result.apply.push(await terraform(dir, ["apply", "-no-color", "-auto-approve"]));
      await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
      result.refreshPlan.push(await terraform(dir, ["plan", "-no-color", "-detailed-exitcode"]));
      const refreshCalls = await adminCalls(emulator.url);
      result.describesPerPlan.push([planDescribes, countOf(refreshCalls, "DescribeInstances")]);
      result.eniDescribesPerPlan.push([planEniDescribes, countOf(refreshCalls, "DescribeNetworkInterfaces")]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}

/** Runs a command; resolves with wall time (ms), exit code and stdout. */
function timed(command, args, cwd, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr });
    });
  });
}

async function describeInstancesCalls(url) {
  return (await adminCalls(url)).filter((c) => c.action === "DescribeInstances").length;
}

/** Section 3: alisg drift vs terraform plan -refresh-only, and alisg check-plan, on one dir. */
async function measureGitops(emulator) {
  const n = 1000;
  await fetch(`${emulator.url}/_emulator/state`, { method: "PUT", body: JSON.stringify(seed()) });
  const dir = mkdtempSync(join(tmpdir(), "alisg-bench-gitops-"));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"),
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "bench",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "bench",
  };
  const result = {
    showState: [],
    refresh: [],
    drift: [],
    refreshCalls: [],
    driftCalls: [],
    showPlan: [],
    checkPlan: [],
    checkCalls: [],
  };
  try {
    writeFileSync(join(dir, "cli.tfrc"), "");
    installProvider(join(dir, "terraform.d", "plugins"));
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config("alisg", n, emulator.url)));
    await terraform(dir, ["init", "-no-color"]);
    await terraform(dir, ["apply", "-no-color", "-auto-approve"]);
    // One out-of-band change: both commands must find it.
    await fetch(`${emulator.url}/_emulator/instances/i-bench0`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ securityGroupIds: ["sg-base"] }),
    });
    const alisg = (args) => timed(process.execPath, [join(root, "bin/alisg.js"), ...args], dir, env);
    for (let r = 0; r < runs; r++) {
      await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
      const refresh = await timed(
        "terraform",
        ["plan", "-refresh-only", "-detailed-exitcode", "-no-color"],
        dir,
        env,
      );
      if (refresh.code !== 2) throw new Error(`refresh-only plan: exit ${refresh.code}\n${refresh.stdout}`);
      result.refresh.push(refresh.ms);
      result.refreshCalls.push(await describeInstancesCalls(emulator.url));

      result.showState.push((await timed("terraform", ["show", "-json"], dir, env)).ms);
      await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
      const drift = await alisg(["drift", "--dir", dir, "--format", "json"]);
      if (drift.code !== 2)
        throw new Error(`alisg drift: exit ${drift.code}\n${drift.stdout}${drift.stderr}`);
      result.drift.push(drift.ms);
      result.driftCalls.push(await describeInstancesCalls(emulator.url));
    }
    await terraform(dir, ["plan", "-no-color", "-detailed-exitcode", "-out=tfplan"]);
    for (let r = 0; r < runs; r++) {
      const show = await timed("terraform", ["show", "-json", "tfplan"], dir, env);
      result.showPlan.push(show.ms);
      writeFileSync(join(dir, "plan.json"), show.stdout);
      await fetch(`${emulator.url}/_emulator/calls`, { method: "DELETE" });
      const check = await alisg(["check-plan", join(dir, "plan.json"), "--format", "json"]);
      if (check.code !== 0)
        throw new Error(`alisg check-plan: exit ${check.code}\n${check.stdout}${check.stderr}`);
      result.checkPlan.push(check.ms);
      result.checkCalls.push(await describeInstancesCalls(emulator.url));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (k) => median(result[k]);
  console.log(
    `\n## GitOps: ${n} attachments over ${INSTANCES} instances, one out-of-band change, median of ${runs} (ms)\n`,
  );
  console.log("| | wall ms | DescribeInstances calls |");
  console.log("|---|---|---|");
  console.log(
    `| \`terraform plan -refresh-only -detailed-exitcode\` | ${m("refresh").toFixed(0)} | ${result.refreshCalls.join(", ")} |`,
  );
  console.log(`| \`alisg drift --dir\` | ${m("drift").toFixed(0)} | ${result.driftCalls.join(", ")} |`);
  console.log(
    `| of which \`terraform show -json\` (the state, no refresh) | ${m("showState").toFixed(0)} | 0 |`,
  );
  console.log(
    `| **ratio drift / refresh-only** | **${(m("drift") / m("refresh")).toFixed(2)}x** (target: at most 0.3x) | |`,
  );
  console.log(`| \`terraform show -json tfplan\` (for the gate) | ${m("showPlan").toFixed(0)} | |`);
  console.log(
    `| \`alisg check-plan\` (${n} changes: 1 create, the rest no-op) | ${m("checkPlan").toFixed(0)} | ${result.checkCalls.join(", ")} |`,
  );
}

/** N attachments on one instance (the group limit raised to 20), each joining a group of its own. */
function oneInstanceWorld() {
  const groups = Array.from({ length: 19 }, (_, k) => `sg-one${k + 1}`);
  return {
    groups,
    seed: {
      regionId: "cn-hangzhou",
      accessKeys: [{ accessKeyId: "bench", accessKeySecret: "bench" }],
      maxSecurityGroupsPerInstance: 20,
      securityGroups: ["sg-base", ...groups].map((securityGroupId) => ({
        securityGroupId,
        vpcId: "vpc-1",
        type: "normal",
      })),
      instances: [
        {
          instanceId: "i-one",
          vpcId: "vpc-1",
          status: "Running",
          securityGroupIds: ["sg-base"],
          lockReasons: [],
        },
      ],
    },
  };
}

async function measureOneInstance() {
  const { groups, seed: world } = oneInstanceWorld();
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: world });
  console.log(`\n## N creates on one instance: terraform plan, median of ${runs} (ms)\n`);
  console.log("| changes on i-one | alisg plan | data plan | ratio |");
  console.log("|---|---|---|---|");
  try {
    for (const n of oneInstanceSizes) {
      const times = { alisg: [], data: [] };
      for (const kind of ["alisg", "data"]) {
        const dir = mkdtempSync(join(tmpdir(), `alisg-bench-one-${kind}-`));
        try {
          writeFileSync(join(dir, "cli.tfrc"), "");
          const blocks = Object.fromEntries(
            groups.slice(0, n).map((g, k) => {
              const pair = { instance_id: "i-one", security_group_id: g };
              return [`a${k}`, kind === "alisg" ? pair : { input: pair }];
            }),
          );
          const conf =
            kind === "alisg"
              ? {
                  terraform: { required_providers: { alisg: { source: "alisg/alisg", version } } },
                  provider: {
                    alisg: {
                      region: "cn-hangzhou",
                      endpoint: emulator.url,
                      access_key: "bench",
                      secret_key: "bench",
                      max_security_groups_per_instance: 20,
                    },
                  },
                  resource: { alisg_attachment: blocks },
                }
              : { resource: { terraform_data: blocks } };
          if (kind === "alisg") installProvider(join(dir, "terraform.d", "plugins"));
          writeFileSync(join(dir, "main.tf.json"), JSON.stringify(conf));
          await terraform(dir, ["init", "-no-color"]);
          for (let r = 0; r < runs; r++)
            times[kind].push(await terraform(dir, ["plan", "-no-color", "-detailed-exitcode"]));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const a = median(times.alisg);
      const d = median(times.data);
      console.log(`| ${n} | ${a.toFixed(0)} | ${d.toFixed(0)} | ${(a / d).toFixed(1)}x |`);
    }
  } finally {
    await emulator.close();
  }
}

/**
 * Section 2b: the plan of one attachment with the provider run by each Node.js
 * (ALISG_PROVIDER_NODE), next to the same plan of one terraform_data, every
 * run interleaved (data, then each Node.js), after one warm-up plan each (the
 * code cache written, as on every plan but a machine's first).
 */
async function measureSmallPlanPerNode(emulator) {
  const nodes = benchNodes();
  const dirs = {};
  try {
    for (const kind of ["alisg", "data"]) {
      const dir = mkdtempSync(join(tmpdir(), `alisg-bench-node-${kind}-`));
      dirs[kind] = dir;
      writeFileSync(join(dir, "cli.tfrc"), "");
      if (kind === "alisg") installProvider(join(dir, "terraform.d", "plugins"));
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config(kind, 1, emulator.url)));
      await terraform(dir, ["init", "-no-color"]);
    }
    const plan = (kind, bin) =>
      terraform(
        dirs[kind],
        ["plan", "-no-color", "-detailed-exitcode"],
        bin ? { ALISG_PROVIDER_NODE: bin } : {},
      );
    await fetch(`${emulator.url}/_emulator/state`, { method: "PUT", body: JSON.stringify(seed()) });
    for (const n of nodes) await plan("alisg", n.bin);
    const times = { data: [], ...Object.fromEntries(nodes.map((n) => [n.version, []])) };
    for (let r = 0; r < runs; r++) {
      times.data.push(await plan("data"));
      for (const n of nodes) times[n.version].push(await plan("alisg", n.bin));
    }
    const d = median(times.data);
    console.log(
      `\n## terraform plan of 1 attachment, provider on each Node.js, median of ${runs} (ms), interleaved\n`,
    );
    console.log("| provider's Node.js | alisg plan | data plan | **ratio** (target: at most 7x) |");
    console.log("|---|---|---|---|");
    for (const n of nodes) {
      const a = median(times[n.version]);
      console.log(`| ${n.version} | ${a.toFixed(0)} | ${d.toFixed(0)} | **${(a / d).toFixed(1)}x** |`);
    }
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Section 5: ENI attachments, planned and applied; their describes batched like the instances'. */
async function measureEnis(emulator) {
  console.log(
    `\n## ENI attachments: terraform plan / apply, median of ${runs} (ms); ${INSTANCES} ENIs, one per instance\n`,
  );
  console.log(
    "| ENI attachments | plan | apply | refresh plan | DescribeNetworkInterfaces per plan (create / refresh) | DescribeInstances per plan (their instances) |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const n of sizes) {
    const e = await measure("eni", n, emulator);
    const pairsOf = (xs) => xs.map(([p, r]) => `${p}/${r}`).join(", ");
    console.log(
      `| ${n} | ${median(e.plan).toFixed(0)} | ${median(e.apply).toFixed(0)} | ${median(e.refreshPlan).toFixed(0)} | ${pairsOf(e.eniDescribesPerPlan)} | ${pairsOf(e.describesPerPlan)} |`,
    );
  }
}

/**
 * Section 2: alisg, the two floor providers and terraform_data, one run of each in turn so that
 * all see the same load.
 */
async function measurePlans(emulator) {
  const results = [];
  for (const n of sizes) {
    const by = { alisg: undefined, floor: undefined, bare: undefined, data: undefined };
    for (let r = 0; r < runs; r++) {
      for (const kind of Object.keys(by)) {
        const one = await measure(kind, n, emulator, 1);
        by[kind] ??= Object.fromEntries(Object.keys(one).map((k) => [k, []]));
        for (const k of Object.keys(one)) by[kind][k].push(...one[k]);
      }
    }
    results.push([n, by]);
  }
  const ratio = (x, y) => `${(x / y).toFixed(1)}x`;
  console.log(`\n## terraform plan / apply, median of ${runs} (ms); ${INSTANCES} instances\n`);
  console.log(
    "| attachments | alisg plan | data plan | ratio | alisg apply | data apply | ratio | alisg refresh plan | data refresh plan | ratio | DescribeInstances per plan (create / refresh) |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [n, { alisg: a, data: d }] of results) {
    const row = (k) =>
      `${median(a[k]).toFixed(0)} | ${median(d[k]).toFixed(0)} | ${ratio(median(a[k]), median(d[k]))}`;
    const desc = a.describesPerPlan.map(([p, r]) => `${p}/${r}`).join(", ");
    console.log(`| ${n} | ${row("plan")} | ${row("apply")} | ${row("refreshPlan")} | ${desc} |`);
  }
  console.log(
    "\nThe floors, same runs: `floor` has alisg's schemas and plugin layer and does no work of its own; `bare` has alisg's start-up, then answers over node:http2 without grpc-js or decoding. Each: its time, and over terraform_data; then alisg over it.\n",
  );
  console.log("| attachments | step | floor | vs data | alisg vs floor | bare | vs data | alisg vs bare |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const [n, { alisg: a, floor: f, bare: b, data: d }] of results) {
    for (const [k, label] of [
      ["plan", "plan"],
      ["apply", "apply"],
      ["refreshPlan", "refresh plan"],
    ]) {
      const [am, fm, bm, dm] = [a, f, b, d].map((x) => median(x[k]));
      console.log(
        `| ${n} | ${label} | ${fm.toFixed(0)} | ${ratio(fm, dm)} | ${ratio(am, fm)} | ${bm.toFixed(0)} | ${ratio(bm, dm)} | ${ratio(am, bm)} |`,
      );
    }
  }
}

async function main() {
  if (process.env.BENCH_ONLY === "one-instance") {
    await measureOneInstance();
    return;
  }
  // Sections that run alone against an emulator of their own.
  const alone = new Map([
    ["eni", measureEnis],
    ["node", measureSmallPlanPerNode],
    ["gitops", measureGitops],
    ["plans", measurePlans],
  ]).get(process.env.BENCH_ONLY);
  if (alone) {
    const emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: seed() });
    try {
      await alone(emulator);
    } finally {
      await emulator.close();
    }
    return;
  }
  console.log(`# alisg benchmarks (${new Date().toISOString()})`);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
  console.log(spawnSync("terraform", ["version"], { encoding: "utf8" }).stdout.split("\n")[0]);
  console.log("\n## Provider start-up\n");
  const startup = spawnSync(process.execPath, [join(root, "scripts/bench-startup.mjs")], {
    encoding: "utf8",
  });
  process.stdout.write(startup.stdout + startup.stderr);

  const emulator = await startEmulator({ host: "127.0.0.1", port: 0, seed: seed() });
  try {
    await measurePlans(emulator);
    await measureSmallPlanPerNode(emulator);
    await measureGitops(emulator);
    await measureEnis(emulator);
  } finally {
    await emulator.close();
  }
  await measureOneInstance();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
