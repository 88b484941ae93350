import type { Command } from "commander";
import { checkPlans, readPlan, type PlanFile } from "../gitops";
import {
  addGitopsOptions,
  ecsReaderFrom,
  emitReport,
  failCommand,
  policyFrom,
  Progress,
  readInput,
  sourceName,
  type GitopsOptions,
} from "./gitops-options";

/** `alisg check-plan PLAN_JSON... [--format text|json|github]` (see DESIGN.md, "CLI"). */
export function registerCheckPlanCommand(program: Command): void {
  addGitopsOptions(
    program
      .command("check-plan")
      .description(
        "gate saved plans (`terraform show -json PLANFILE` output, - for stdin) against live ECS state, all plans judged together; exit 0 safe, 2 refused, 1 error",
      )
      .argument("<plan-json...>", "files holding `terraform show -json PLANFILE` output; - reads stdin"),
  ).action(async (files: string[], options: GitopsOptions) => {
    const progress = new Progress("check-plan");
    try {
      progress.phase(`reading ${files.length} plan${files.length === 1 ? "" : "s"}`);
      const plans = files.map(readPlanFile);
      const ecs = ecsReaderFrom(options);
      progress.phase("describing the instances and groups the plans touch");
      const report = await checkPlans(plans, ecs, options.maxSecurityGroupsPerInstance, policyFrom(options));
      progress.done();
      emitReport(report, options.format);
    } catch (err) {
      progress.done();
      failCommand("check-plan", err);
    }
  });
}

function readPlanFile(file: string): PlanFile {
  return readPlan(readInput(file), sourceName(file));
}
