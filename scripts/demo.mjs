// `npm run demo [-- --verbose]`: the whole story against the local emulator, no cloud account, no network.
//  1. start `alisg emulator` with examples/demo-seed.json
//  2. `cdktf deploy` the example app (examples/basic)
//  3. (a) an unsafe change, removing an instance's last groups, refused at plan time
//     (b) a safe removal, which calls LeaveSecurityGroup
//     (c) an out-of-band change, corrected by deploying again
//  3. the GitOps act: an out-of-band change found by `alisg drift` (exit 2), corrected by a
//     deploy, `alisg drift` clean (exit 0); then `alisg check-plan` refuses a saved plan that
//     went stale (the instance started stopping after the plan was saved)
//  4. print what the emulator received and the final memberships; stop everything.
// Output has no colour codes when stdout is not a terminal or NO_COLOR is set.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const verbose = process.argv.includes("--verbose");
const work = mkdtempSync(join(tmpdir(), "alisg-demo-"));
const children = new Set();

const say = (text = "") => process.stdout.write(`${text}\n`);
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const bold = (text) => (color ? `\x1b[1m${text}\x1b[0m` : text);
const step = (text) => say(`\n${bold(`== ${text}`)}`);

function startEmulator() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, "bin/alisg.js"),
        "emulator",
        "--port",
        "0",
        "--seed",
        join(root, "examples/demo-seed.json"),
      ],
      { stdio: ["ignore", "pipe", verbose ? "inherit" : "ignore"] },
    );
    children.add(child);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the emulator exited early (${code})`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1] });
      else reject(new Error(`unexpected first line from the emulator: ${line}`));
    });
  });
}

/**
 * The user's environment without any Alibaba Cloud settings: the demo talks to the
 * emulator only, whatever credentials, region or profile the user has configured.
 */
function demoBaseEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(ALIBABA_CLOUD_|ALICLOUD_)/.test(name)),
  );
}

/** Runs the cdktf CLI in the demo's own project directory; resolves with its exit code and output. */
function cdktf(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, "node_modules/.bin/cdktf"), args, {
      cwd: work,
      env: { ...demoBaseEnv(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let output = "";
    const collect = (d) => {
      output += d;
      if (verbose) process.stdout.write(d);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => {
      children.delete(child);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Runs a command to completion; resolves with its exit code and output (stdout, stderr). */
function run(command, args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      children.delete(child);
      if (verbose) process.stdout.write(stdout + stderr);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

async function admin(url, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");
/** The lines of cdktf's output worth showing without --verbose. */
function highlights(output, patterns) {
  const lines = plain(output)
    .split("\n")
    .map((l) => l.trim().replace(/^basic\s+/, ""))
    .filter((l) => patterns.some((p) => p.test(l)));
  return [...new Set(lines)].map((l) => `   ${l}`);
}

function table(rows, headers) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join("  ");
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

async function main() {
  step("Starting the ECS emulator with examples/demo-seed.json");
  const emulator = await startEmulator();
  say(`   ${emulator.url}`);

  // A cdktf project of the demo's own: the example app, output and state in a temp dir.
  writeFileSync(
    join(work, "cdktf.json"),
    JSON.stringify({
      language: "typescript",
      app: `node ${JSON.stringify(join(root, "examples/basic/dist/main.js"))}`,
      output: "cdktf.out",
      sendCrashReports: "false",
      terraformProviders: [],
      terraformModules: [],
    }),
  );
  writeFileSync(join(work, "cli.tfrc"), "");
  const env = {
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    CHECKPOINT_DISABLE: "1",
    DISABLE_VERSION_CHECK: "true",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
    TF_CLI_CONFIG_FILE: join(work, "cli.tfrc"),
    TF_IN_AUTOMATION: "1",
    FORCE_COLOR: "0",
    CI: "1",
  };
  const interesting = [
    /Error: /,
    /Warning: /,
    /Apply complete/,
    /No changes/,
    /Plan: /,
    /will be (created|destroyed)/,
    /must be replaced/,
  ];

  step("1. cdktf deploy of examples/basic");
  let r = await cdktf(["deploy", "basic", "--auto-approve"], env);
  say(highlights(r.output, interesting).join("\n"));
  if (r.code !== 0) throw new Error(`cdktf deploy failed (exit ${r.code}); run with --verbose`);
  // Where each step's calls begin in the emulator's call log.
  const marks = [];
  const mark = async (label) =>
    marks.push({ label, from: (await admin(emulator.url, "GET", "/_emulator/calls")).length });
  await mark("2a");

  step("2a. Unsafe: remove both attachments of i-web1 (its only groups) -> refused at plan time");
  r = await cdktf(["plan", "basic"], { ...env, ALISG_EXAMPLE_REMOVE: "web1-base,web1-web" });
  say(highlights(r.output, [/InstanceLastSecurityGroup/]).join("\n"));
  if (r.code === 0 || !/InstanceLastSecurityGroup/.test(r.output)) {
    throw new Error("the unsafe change was not refused; run with --verbose");
  }
  say(`   cdktf plan exit code ${r.code}; no JoinSecurityGroup/LeaveSecurityGroup call was made`);

  await mark("2b");
  step("2b. Safe: remove the i-web1 -> sg-web attachment -> LeaveSecurityGroup");
  r = await cdktf(["deploy", "basic", "--auto-approve"], { ...env, ALISG_EXAMPLE_REMOVE: "web1-web" });
  say(highlights(r.output, interesting).join("\n"));
  if (r.code !== 0) throw new Error(`cdktf deploy failed (exit ${r.code}); run with --verbose`);

  await mark("2c");
  step("2c. Out of band: someone removes i-web2 from sg-web in the console; deploy corrects it");
  const web2 = await admin(emulator.url, "GET", "/_emulator/state");
  const before = web2.instances.find((i) => i.instanceId === "i-web2").securityGroupIds;
  await admin(emulator.url, "PATCH", "/_emulator/instances/i-web2", {
    securityGroupIds: before.filter((g) => g !== "sg-web"),
  });
  say(
    `   i-web2 was in ${before.join(", ")}; now only in ${before.filter((g) => g !== "sg-web").join(", ")}`,
  );
  r = await cdktf(["deploy", "basic", "--auto-approve"], { ...env, ALISG_EXAMPLE_REMOVE: "web1-web" });
  say(highlights(r.output, interesting).join("\n"));
  if (r.code !== 0) throw new Error(`cdktf deploy failed (exit ${r.code}); run with --verbose`);

  await mark("3");
  step("3. GitOps: someone adds i-db1 to sg-web in the console (its set is authoritative)");
  const stack = join(work, "cdktf.out", "stacks", "basic");
  const alisgEnv = {
    ...demoBaseEnv(),
    ...env,
    ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    ALIBABA_CLOUD_ACCESS_KEY_ID: "test",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "test",
  };
  const alisg = (args) => run(process.execPath, [join(root, "bin/alisg.js"), ...args], work, alisgEnv);
  const indent = (text) =>
    text
      .trimEnd()
      .split("\n")
      .map((l) => `   ${l}`)
      .join("\n");
  await admin(emulator.url, "PATCH", "/_emulator/instances/i-db1", {
    securityGroupIds: ["sg-base", "sg-db", "sg-web"],
  });
  say("   $ alisg drift --dir cdktf.out/stacks/basic");
  r = await alisg(["drift", "--dir", stack]);
  say(indent(r.stdout));
  say(`   exit code ${r.code} (2 = drift found)`);
  if (r.code !== 2) throw new Error(`alisg drift should have found the change (exit ${r.code}): ${r.stderr}`);

  step("3. GitOps: deploy corrects it; alisg drift is clean");
  r = await cdktf(["deploy", "basic", "--auto-approve"], { ...env, ALISG_EXAMPLE_REMOVE: "web1-web" });
  say(highlights(r.output, interesting).join("\n"));
  if (r.code !== 0) throw new Error(`cdktf deploy failed (exit ${r.code}); run with --verbose`);
  r = await alisg(["drift", "--dir", stack]);
  say(indent(r.stdout));
  say(`   exit code ${r.code}`);
  if (r.code !== 0) throw new Error(`alisg drift should be clean (exit ${r.code}): ${r.stdout}${r.stderr}`);

  step("3. GitOps: a saved plan goes stale; alisg check-plan refuses it at the gate");
  // A pull request brings web1-web back (JoinSecurityGroup of i-web1): planned and saved while i-web1 runs.
  r = await cdktf(["synth", "basic"], env);
  if (r.code !== 0) throw new Error(`cdktf synth failed (exit ${r.code}); run with --verbose`);
  const tfEnv = { ...demoBaseEnv(), ...env };
  r = await run("terraform", ["plan", "-no-color", "-out=tfplan"], stack, tfEnv);
  if (r.code !== 0) throw new Error(`terraform plan failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  r = await run("terraform", ["show", "-json", "tfplan"], stack, tfEnv);
  writeFileSync(join(work, "plan.json"), r.stdout);
  r = await alisg(["check-plan", join(work, "plan.json")]);
  say("   plan saved while i-web1 is Running:");
  say(indent(r.stdout));
  say(`   exit code ${r.code}`);
  if (r.code !== 0) throw new Error(`the fresh plan should pass the gate (exit ${r.code}): ${r.stderr}`);
  await admin(emulator.url, "PATCH", "/_emulator/instances/i-web1", { status: "Stopping" });
  r = await alisg(["check-plan", join(work, "plan.json")]);
  say("   the same plan after i-web1 started stopping:");
  say(indent(r.stdout));
  say(`   exit code ${r.code} (2 = refused)`);
  if (r.code !== 2 || !/IncorrectInstanceStatus/.test(r.stdout)) {
    throw new Error(`the stale plan should be refused (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }

  step("What the emulator received (changes only; Describe* calls omitted)");
  const calls = await admin(emulator.url, "GET", "/_emulator/calls");
  const stepOf = (n) => marks.filter((m) => m.from <= n).pop()?.label ?? "1";
  const rows = calls
    .map((c, n) => [stepOf(n), c])
    .filter(([, c]) => c.action === "JoinSecurityGroup" || c.action === "LeaveSecurityGroup")
    .map(([phase, c]) => [
      phase,
      c.action,
      c.params.InstanceId,
      c.params.SecurityGroupId,
      c.httpStatus,
      c.code ?? "ok",
    ]);
  say(table(rows, ["step", "action", "instance", "group", "HTTP", "result"]));
  const describes = calls.filter((c) => c.action.startsWith("Describe")).length;
  say(`   (${describes} Describe* calls in all)`);

  step("Final memberships");
  const state = await admin(emulator.url, "GET", "/_emulator/state");
  say(
    table(
      state.instances.map((i) => [i.instanceId, i.status, i.securityGroupIds.join(", ")]),
      ["instance", "status", "groups"],
    ),
  );
}

function cleanup() {
  for (const c of children) c.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}

main()
  .then(() => {
    cleanup();
    say("\nDemo complete.");
    process.exit(0);
  })
  .catch((err) => {
    cleanup();
    process.stderr.write(`\ndemo failed: ${err.message}\n`);
    process.exit(1);
  });
