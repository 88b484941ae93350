import type { Command } from "commander";
import { checkPlans, planProviderSettings, readPlan, type PlanFile } from "../gitops";
import type { Policy } from "../membership";
import {
  addGitopsOptions,
  ecsReaderFrom,
  emitReport,
  failCommand,
  policyFrom,
  Progress,
  protectedFromEnv,
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
  ).action(async (files: string[], options: GitopsOptions, command: Command) => {
    const progress = new Progress("check-plan");
    try {
      progress.phase(`reading ${files.length} plan${files.length === 1 ? "" : "s"}`);
      const plans = files.map(readPlanFile);
      const ecs = ecsReaderFrom(options);
      progress.phase("describing the instances and groups the plans touch");
      const { limit, policy } = settingsFor(plans, options, command);
      const report = await checkPlans(plans, ecs, limit, policy);
      progress.done();
      emitReport(report, options.format);
    } catch (err) {
      progress.done();
      failCommand("check-plan", err);
    }
  });
}

/**
 * The limit and protected groups to judge with: the flags when given, else
 * what the plans' alisg provider blocks set, as the provider read them
 * (gitops/plan-settings.ts); a value written as an expression is noted on
 * stderr, since the plan does not hold it.
 */
function settingsFor(
  plans: readonly PlanFile[],
  options: GitopsOptions,
  command: Command,
): { limit: number; policy: Policy } {
  const limitGiven = command.getOptionValueSource("maxSecurityGroupsPerInstance") === "cli";
  const groupsGiven = options.protectedSecurityGroupId.length > 0;
  const fromPlans = planProviderSettings(plans, groupsGiven ? [] : protectedFromEnv());
  const flags = {
    max_security_groups_per_instance: { flag: "--max-security-groups-per-instance", given: limitGiven },
    protected_security_group_ids: { flag: "--protected-security-group-id", given: groupsGiven },
  };
  for (const { where, attribute } of fromPlans.unread) {
    const { flag, given } = flags[attribute];
    if (!given)
      process.stderr.write(
        `alisg check-plan: ${where}: ${attribute} is an expression, whose value the plan does not hold: give ${flag} to judge with it\n`,
      );
  }
  return {
    limit: limitGiven
      ? options.maxSecurityGroupsPerInstance
      : (fromPlans.maxSecurityGroups ?? options.maxSecurityGroupsPerInstance),
    policy: groupsGiven
      ? policyFrom(options)
      : { protectedSecurityGroupIds: fromPlans.protectedSecurityGroupIds },
  };
}

function readPlanFile(file: string): PlanFile {
  return readPlan(readInput(file), sourceName(file));
}
