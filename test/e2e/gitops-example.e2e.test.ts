import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "./harness";

// examples/gitops: the GitHub workflow passes a schema validator, and the local loop runs end to end
// with real terraform against the emulator.
jest.setTimeout(300_000);

const root = join(__dirname, "..", "..");
const workflow = join(root, "examples", "gitops", ".github", "workflows", "alisg-gitops.yml");
const validator = join(root, "node_modules", ".bin", "action-validator");
const env = () => ({ PATH: process.env.PATH ?? "", TMPDIR: tmpdir() });

describe("examples/gitops", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "alisg-example-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("the GitHub Actions workflow is valid against the workflow schema", async () => {
    const r = await runProcess(validator, [workflow], root, env());
    expect(r.output).toBe("");
    expect(r.code).toBe(0);
  });

  test("the validator does refuse a broken workflow (so the check above means something)", async () => {
    const broken = join(dir, "broken.yml");
    writeFileSync(
      broken,
      readFileSync(workflow, "utf8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"),
    );
    const r = await runProcess(validator, [broken], root, env());
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("runs_on");
  });

  test("local-loop.sh: synth, plan, check-plan, apply; drift exit 2, apply, drift exit 0", async () => {
    const r = await runProcess("bash", [join(root, "examples", "gitops", "local-loop.sh")], root, {
      ...env(),
      HOME: dir,
    });
    if (r.code !== 0) throw new Error(`local-loop.sh exited ${r.code}\n${r.output}`);
    const lines = r.stdout.split("\n");
    expect(lines).toContain("alisg check-plan: safe: 0 errors, 0 warnings (4 membership changes in 1 plan)");
    expect(lines).toContain("missing  alisg_attachment.web2-web  i-web2    sg-web");
    expect(lines).toContain("alisg drift: no drift in 4 resources");
    expect(lines[lines.length - 2]).toBe("== GitOps loop complete");
  });
});
