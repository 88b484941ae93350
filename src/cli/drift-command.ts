import type { Command } from "commander";
import {
  GitopsInputError,
  readIgnoreFile,
  readState,
  reportDrift,
  showState,
  type IgnoreEntry,
  type StateResource,
} from "../gitops";
import {
  addGitopsOptions,
  ecsReaderFrom,
  emitReport,
  failCommand,
  policyFrom,
  Progress,
  readInput,
  type GitopsOptions,
} from "./gitops-options";

interface DriftOptions extends GitopsOptions {
  dir: string[];
  state: string[];
  ignore?: string;
  terraform: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `alisg drift [--dir DIR]... [--state FILE]... [--format] [--ignore FILE]` (see DESIGN.md, "CLI"). */
export function registerDriftCommand(program: Command): void {
  addGitopsOptions(
    program
      .command("drift")
      .description(
        "report membership drift of Terraform working dirs or states against live ECS (read-only); exit 0 none, 2 drift, 1 error",
      )
      .option("--dir <dir>", "a Terraform working dir or cdktf.out/stacks/<stack> (repeatable)", collect, [])
      .option(
        "--state <file>",
        "`terraform show -json` or `terraform state pull` output; - reads stdin (repeatable)",
        collect,
        [],
      )
      .option(
        "--ignore <file>",
        'known drift to leave out: a JSON list of {"instance_id", "security_group_id"}',
      )
      .option(
        "--terraform <path>",
        "the engine binary used for --dir, terraform or tofu (default: $TERRAFORM_BINARY_NAME, as cdktf/cdktn read it, else terraform)",
        process.env.TERRAFORM_BINARY_NAME || "terraform",
      ),
  ).action(async (options: DriftOptions) => {
    const progress = new Progress("drift");
    try {
      if (options.dir.length === 0 && options.state.length === 0) {
        throw new GitopsInputError("give at least one --dir DIR or --state FILE");
      }
      const ignore: IgnoreEntry[] = options.ignore
        ? readIgnoreFile(readInput(options.ignore), options.ignore)
        : [];
      const states: { source: string; resources: StateResource[] }[] = [];
      if (options.dir.length > 0) {
        progress.phase(`reading the state of ${options.dir.join(", ")} (terraform show -json)`);
        // The dirs are read side by side: each is one terraform process.
        const shown = await Promise.all(options.dir.map((dir) => showState(dir, options.terraform)));
        shown.forEach((text, n) =>
          states.push({ source: options.dir[n], resources: readState(text, options.dir[n]) }),
        );
      }
      for (const file of options.state) {
        const source = file === "-" ? "stdin" : file;
        states.push({ source, resources: readState(readInput(file), source) });
      }
      const ecs = ecsReaderFrom(options);
      const count = states.reduce((n, s) => n + s.resources.length, 0);
      progress.phase(`describing the instances and groups of ${count} resources`);
      const report = await reportDrift(
        states,
        ecs,
        ignore,
        options.maxSecurityGroupsPerInstance,
        policyFrom(options),
      );
      progress.done();
      emitReport(report, options.format);
    } catch (err) {
      progress.done();
      failCommand("drift", err);
    }
  });
}
