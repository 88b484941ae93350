import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE_MATRIX } from "../support/node-matrix";
import { Cloud, expectExit, seed } from "./harness";
import { actions, alisg } from "./gitops-cli";

// `alisg check-plan` and `alisg drift` on OpenTofu's plan and state JSON, against the emulator, run by
// each Node.js of the matrix. No tofu binary installs here: the inputs are the fixtures written from
// OpenTofu's documented format (test/gitops/fixtures/opentofu/README.md), and `--terraform` is pointed
// at a stand-in `tofu` that answers `show -json` with the state fixture as OpenTofu prints it.
jest.setTimeout(120_000);

const FIXTURES = join(__dirname, "..", "gitops", "fixtures", "opentofu");
const fixture = (name: string) => join(FIXTURES, name);

/** The world plan.json was planned against. */
const planWorld = () =>
  seed(
    [
      { instanceId: "i-web1", securityGroupIds: ["sg-base", "sg-old"] },
      { instanceId: "i-db1", securityGroupIds: ["sg-db"] },
      { instanceId: "i-db2", securityGroupIds: ["sg-base"] },
      { instanceId: "i-keep", securityGroupIds: ["sg-only"] },
      { instanceId: "i-solo", securityGroupIds: ["sg-a"] },
      { instanceId: "i-app", securityGroupIds: ["sg-a"] },
    ],
    ["sg-base", "sg-old", "sg-web", "sg-db", "sg-only", "sg-a", "sg-b", "sg-c"],
  );

/** The states' world after two out-of-band changes: i-db1 left sg-db, i-app joined sg-c. */
const driftWorld = () =>
  seed(
    [
      { instanceId: "i-web1", securityGroupIds: ["sg-base", "sg-web"] },
      { instanceId: "i-db1", securityGroupIds: ["sg-base"] },
      { instanceId: "i-app", securityGroupIds: ["sg-a", "sg-b", "sg-c"] },
    ],
    ["sg-base", "sg-web", "sg-db", "sg-a", "sg-b", "sg-c"],
  );

const DRIFT_TABLE = [
  "KIND     ADDRESS                                           INSTANCE  GROUP",
  'missing  alisg_attachment.each["db"]                       i-db1     sg-db',
  "extra    module.app.alisg_instance_security_groups.app[0]  i-app     sg-c",
];

let cloud: Cloud;
let work: string;
beforeAll(async () => {
  cloud = await Cloud.start(planWorld());
  work = mkdtempSync(join(tmpdir(), "alisg-opentofu-"));
});
afterAll(async () => {
  await cloud.close();
  rmSync(work, { recursive: true, force: true });
});

describe.each(NODE_MATRIX)("OpenTofu's JSON, alisg on Node.js $major", (node) => {
  test("check-plan judges an OpenTofu plan: forget and forget-then-create leave nothing, the alicloud swap is refused", async () => {
    await cloud.reset(planWorld());
    const r = await alisg(cloud, ["check-plan", "--format", "json", fixture("plan.json")], { node });
    expectExit(r, 2);
    const report = JSON.parse(r.stdout) as {
      findings: { severity: string; code: string; address: string; instance_id: string }[];
      summary: Record<string, unknown>;
    };
    expect(report.findings.map((f) => [f.severity, f.code, f.address, f.instance_id])).toEqual([
      ["error", "InstanceLastSecurityGroup", "alicloud_instance.app", "i-app"],
      ["warning", "UnlistedSecurityGroups", "alisg_instance_security_groups.solo", "i-solo"],
    ]);
    expect(report.summary).toMatchObject({ result: "refused", errors: 1, warnings: 1, changes: 6 });
    expect(new Set(await actions(cloud))).toEqual(new Set(["DescribeInstances", "DescribeSecurityGroups"]));
  });

  test("drift reads `tofu show -json` and `tofu state pull` alike", async () => {
    await cloud.reset(driftWorld());
    for (const file of ["state-show.json", "state-pull.json"]) {
      const r = await alisg(cloud, ["drift", "--state", fixture(file)], { node });
      expectExit(r, 2);
      expect(r.stdout.split("\n").slice(0, 3)).toEqual(DRIFT_TABLE);
      expect(r.stdout).toContain("alisg drift: 2 differences (1 missing, 1 extra) in 3 resources");
    }
  });

  test("drift --dir runs the binary --terraform names (or $TERRAFORM_BINARY_NAME) in the dir: `tofu show -json`", async () => {
    await cloud.reset(driftWorld());
    const bin = mkdtempSync(join(work, "bin-"));
    const stack = mkdtempSync(join(work, "stack-"));
    const calls = join(bin, "calls.log");
    const tofu = join(bin, "tofu");
    // The stand-in: records where and how it was run, then prints what `tofu show -json` prints.
    writeFileSync(
      tofu,
      `#!/bin/sh\necho "$PWD $*" >> ${JSON.stringify(calls)}\n` +
        `[ "$*" = "show -json -no-color" ] || exit 1\nexec cat ${JSON.stringify(fixture("state-show.json"))}\n`,
    );
    chmodSync(tofu, 0o755);

    const named = await alisg(cloud, ["drift", "--dir", stack, "--terraform", tofu], { node });
    expectExit(named, 2);
    expect(named.stdout.split("\n").slice(0, 3)).toEqual(DRIFT_TABLE);
    const fromEnv = await alisg(cloud, ["drift", "--dir", stack, "--format", "json"], {
      node,
      env: { TERRAFORM_BINARY_NAME: tofu },
    });
    expectExit(fromEnv, 2);
    expect((JSON.parse(fromEnv.stdout) as { summary: { total: number } }).summary.total).toBe(2);
    expect(readFileSync(calls, "utf8")).toBe(`${stack} show -json -no-color\n`.repeat(2));

    // A failing engine is named in the error, not called Terraform.
    writeFileSync(tofu, "#!/bin/sh\necho 'Error: no state' >&2\nexit 1\n");
    const failed = await alisg(cloud, ["drift", "--dir", stack, "--terraform", tofu], { node });
    expectExit(failed, 1);
    expect(failed.stderr).toContain(
      `alisg drift: --dir ${stack}: \`tofu show -json\` failed (exit 1): Error: no state`,
    );
  });

  test("an OpenTofu-encrypted state is refused, saying how to get one alisg can read", async () => {
    const r = await alisg(cloud, ["drift", "--state", fixture("state-encrypted.json")], { node });
    expectExit(r, 1);
    expect(r.stderr).toContain(
      'state-encrypted.json: encrypted by OpenTofu (encryption_version "v0"): give the output of `tofu show -json` or `tofu state pull`',
    );
  });
});
