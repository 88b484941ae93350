import { InvalidArgumentError, Option, type Command } from "commander";
import { appendFileSync, readFileSync } from "node:fs";
import { createEcsClient, EcsError } from "../ecs";
import type { Policy } from "../membership";
import { describeMalformedId, isWellFormedSecurityGroupId, quoteId } from "../membership/ids";
import {
  ecsSettings,
  GitopsInputError,
  exitCodeOf,
  writeGithub,
  writeJson,
  writeText,
  type EcsOptions,
  type EstateReader,
  type Report,
} from "../gitops";

/** ECS's default per-instance group limit, as the provider's `max_security_groups_per_instance`. */
const DEFAULT_MAX_SECURITY_GROUPS = 5;

/** Options both GitOps commands take. */
export interface GitopsOptions extends EcsOptions {
  format: "text" | "json" | "github";
  maxSecurityGroupsPerInstance: number;
  /** `--protected-security-group-id`, repeatable; empty when not given. */
  protectedSecurityGroupId: string[];
}

/** The provider's environment fallback of `protected_security_group_ids`, read here too. */
const PROTECTED_GROUPS_ENV = "ALISG_PROTECTED_SECURITY_GROUP_IDS";

/** Adds `--region`, `--endpoint`, `--profile`: where the read-only commands reach ECS. */
export function addEcsOptions(command: Command): Command {
  return command
    .option(
      "--region <region>",
      "region ID (default: ALIBABA_CLOUD_REGION_ID, ALIBABA_CLOUD_REGION, ALICLOUD_REGION)",
    )
    .option("--endpoint <url>", "ECS endpoint URL, e.g. the emulator's (default: ALIBABA_CLOUD_ECS_ENDPOINT)")
    .option(
      "--profile <name>",
      "credential profile (default: ALIBABA_CLOUD_PROFILE, then the standard chain)",
    );
}

/**
 * Adds `--format`, `--region`, `--endpoint`, `--profile`,
 * `--max-security-groups-per-instance`, `--protected-security-group-id`.
 */
export function addGitopsOptions(command: Command): Command {
  return addEcsOptions(
    command.addOption(
      new Option("--format <format>", "output format").choices(["text", "json", "github"]).default("text"),
    ),
  )
    .option(
      "--max-security-groups-per-instance <n>",
      "group limit per instance, as in the provider block (your ECS quota); check-plan, when not given: the smallest max_security_groups_per_instance of the plans' alisg provider blocks",
      parseLimit,
      DEFAULT_MAX_SECURITY_GROUPS,
    )
    .option(
      "--protected-security-group-id <id>",
      `a group no change may take away from an instance that has it, as the provider's protected_security_group_ids (repeatable; default: ${PROTECTED_GROUPS_ENV}, comma-separated; check-plan: with the lists of the plans' alisg provider blocks, the variable standing for the blocks that set none)`,
      collectGroupId,
      [],
    );
}

function collectGroupId(value: string, previous: string[]): string[] {
  if (!isWellFormedSecurityGroupId(value))
    throw new InvalidArgumentError(
      `${quoteId(value)} is not a security group ID: ${describeMalformedId(value)}.`,
    );
  return [...previous, value];
}

/**
 * The protected groups: the flags when any is given, else the provider's
 * environment variable (so that a pipeline setting it for Terraform gates with
 * the same list).
 */
export function policyFrom(options: GitopsOptions, env: NodeJS.ProcessEnv = process.env): Policy {
  const listed =
    options.protectedSecurityGroupId.length > 0 ? options.protectedSecurityGroupId : protectedFromEnv(env);
  return { protectedSecurityGroupIds: [...new Set(listed)] };
}

/** The provider's environment fallback of `protected_security_group_ids`, checked. */
export function protectedFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env[PROTECTED_GROUPS_ENV] ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter((g) => g !== "");
  const malformed = listed.filter((g) => !isWellFormedSecurityGroupId(g));
  if (malformed.length > 0)
    throw new GitopsInputError(
      `${PROTECTED_GROUPS_ENV}: ${malformed.map((g) => `${quoteId(g)} is not a security group ID (${describeMalformedId(g)})`).join("; ")}`,
    );
  return listed;
}

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError("expected a whole number >= 1.");
  return Number(value);
}

/** A read-only ECS client (Describe* only) from the options and the provider's environment variables. */
export function ecsReaderFrom(options: EcsOptions, env: NodeJS.ProcessEnv = process.env): EstateReader {
  const client = createEcsClient(ecsSettings(options, env));
  return {
    describeInstances: (ids) => client.describeInstances(ids),
    describeSecurityGroups: (ids) => client.describeSecurityGroups(ids),
    describeNetworkInterfaces: (ids) => client.describeNetworkInterfaces(ids),
    findInstances: (filter) => client.findInstances(filter),
  };
}

/**
 * Prints the report in the chosen format (github: also appends the Markdown
 * table to `$GITHUB_STEP_SUMMARY` when it is set) and sets the exit code:
 * 0 clean, 2 found something.
 */
export function emitReport(report: Report, format: GitopsOptions["format"], env = process.env): void {
  if (format === "json") process.stdout.write(writeJson(report));
  else if (format === "github") {
    const out = writeGithub(report);
    process.stdout.write(out.commands);
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, out.summary);
  } else process.stdout.write(writeText(report));
  process.exitCode = exitCodeOf(report);
}

/** An error of a GitOps command: `alisg <command>: <message>` on stderr, exit 1. */
export function failCommand(command: string, err: unknown): void {
  process.stderr.write(`alisg ${command}: ${describeError(err)}\n`);
  process.exitCode = 1;
}

export function describeError(err: unknown): string {
  // The ECS error already names the refused RAM action and what to do; say what these commands need.
  if (err instanceof EcsError && err.code === "Forbidden.RAM") {
    return `${err.message}. alisg check-plan, drift and adopt need only ecs:DescribeInstances and ecs:DescribeSecurityGroups.`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Progress on stderr for runs that take more than a second: nothing for a
 * quick run; after `afterMs` the current phase, then every later phase.
 */
export class Progress {
  private current = "";
  private shown = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly command: string,
    afterMs = Number(process.env.ALISG_PROGRESS_AFTER_MS ?? 1000),
  ) {
    this.timer = setTimeout(() => {
      this.shown = true;
      if (this.current) this.print(this.current);
    }, afterMs);
    this.timer.unref();
  }

  phase(text: string): void {
    this.current = text;
    if (this.shown) this.print(text);
  }

  done(): void {
    clearTimeout(this.timer);
  }

  private print(text: string): void {
    process.stderr.write(`alisg ${this.command}: ${text}\n`);
  }
}

/** The name a file argument goes by in messages (`-` is stdin). */
export function sourceName(file: string): string {
  return file === "-" ? "stdin" : file;
}

/** The text of a file argument (`-` = stdin); an unreadable one is an input error naming it. */
export function readInput(file: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw new GitopsInputError(
      `${sourceName(file)}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
}
