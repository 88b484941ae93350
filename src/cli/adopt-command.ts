import { Option, type Command } from "commander";
import {
  checkSelection,
  ecsSettings,
  GitopsInputError,
  leftOutCount,
  planAdoption,
  readEstate,
  readManagedMemberships,
  adoptionSummary,
  parseTagOption,
  selectsInstances,
  writeAdoptionJson,
  writeCdktf,
  writeHcl,
  type AdoptKind,
  type AdoptSelection,
  type Adoption,
  type CdkFlavour,
} from "../gitops";
import { plural } from "../gitops/report";
import { PROVIDER_ADDRESS, providerVersion } from "../provider/distribution";
import { addEcsOptions, ecsReaderFrom, failCommand, Progress, readInput, sourceName } from "./gitops-options";
import { OutputTarget } from "./output-file";

interface AdoptOptions {
  instanceId: string[];
  networkInterfaceId: string[];
  vpcId?: string;
  tag: string[];
  securityGroupId: string[];
  kind: AdoptKind;
  format: "hcl" | "cdktf" | "json";
  cdk: CdkFlavour;
  out?: string;
  force: boolean;
  withProvider: boolean;
  excludeState: string[];
  region?: string;
  endpoint?: string;
  profile?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `alisg adopt` (see DESIGN.md, "CLI" and "`alisg adopt`"). */
export function registerAdoptCommand(program: Command): void {
  addEcsOptions(
    program
      .command("adopt")
      .description(
        "write the code that brings security-group memberships that exist today under management: Terraform import blocks with their resources, or cdktf constructs (read-only); exit 0 written, 1 error",
      )
      .option("--instance-id <id>", "adopt this instance (repeatable)", collect, [])
      .option(
        "--network-interface-id <id>",
        "adopt this ENI too (repeatable; the filters do not apply to it; a primary ENI is left out: adopt its instance)",
        collect,
        [],
      )
      .option("--vpc-id <id>", "filter: instances in this VPC")
      .option(
        "--tag <key=value>",
        "filter: instances with this tag; KEY alone for any value (repeatable, all must match)",
        collect,
        [],
      )
      .option(
        "--security-group-id <id>",
        "filter: instances in any of these groups (repeatable)",
        collect,
        [],
      )
      .addOption(
        new Option(
          "--kind <kind>",
          "attachment: one alisg_attachment per pair; set: one alisg_instance_security_groups per instance",
        )
          .choices(["attachment", "set"])
          .default("attachment"),
      )
      .addOption(
        new Option("--format <format>", "what to write").choices(["hcl", "cdktf", "json"]).default("hcl"),
      )
      .addOption(
        new Option("--cdk <cdk>", "with --format cdktf: the app's CDK, which decides the import line")
          .choices(["cdktf", "cdktn"])
          .default("cdktf"),
      )
      .option("--out <file>", "write there instead of stdout (an existing file only with --force)")
      .option("--force", "with --out: overwrite an existing file", false)
      .option("--with-provider", "also write the terraform/provider blocks (cdktf: an AlisgProvider)", false)
      .option(
        "--exclude-state <file>",
        "leave out memberships an alicloud_instance (its security_groups), an alicloud_ecs_network_interface (its security_group_ids) or an alisg resource already manages in this plan or state JSON (repeatable)",
        collect,
        [],
      ),
  ).action(async (options: AdoptOptions) => {
    const progress = new Progress("adopt");
    try {
      await runAdopt(options, progress);
    } catch (err) {
      failCommand("adopt", err);
    } finally {
      progress.done();
    }
  });
}

async function runAdopt(options: AdoptOptions, progress: Progress): Promise<void> {
  const selection: AdoptSelection = {
    instanceIds: options.instanceId,
    networkInterfaceIds: options.networkInterfaceId,
    ...(options.vpcId === undefined ? {} : { vpcId: options.vpcId }),
    tags: options.tag.map(parseTagOption),
    securityGroupIds: options.securityGroupId,
  };
  checkSelection(selection);
  const regionId = ecsSettings(options, process.env).regionId;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(regionId)) {
    throw new GitopsInputError(`region ${JSON.stringify(regionId)} is not a region ID like cn-hangzhou`);
  }
  const output = new OutputTarget(options.out, options.force);
  output.check();

  if (options.excludeState.length > 0) {
    progress.phase(`reading ${plural(options.excludeState.length, "plan or state")} to leave out`);
  }
  const managed = options.excludeState.flatMap((file) =>
    readManagedMemberships(readInput(file), sourceName(file)),
  );

  const ecs = ecsReaderFrom(options);
  progress.phase(
    selection.networkInterfaceIds.length > 0
      ? "describing the selected instances, ENIs and their groups"
      : "describing the selected instances and their groups",
  );
  const managedEnis = managed.filter((m) => m.networkInterface).map((m) => m.instanceId);
  const estate = await readEstate(ecs, selection, managedEnis);
  if (estate.instances.length === 0 && estate.networkInterfaces.length === 0) {
    const what = selectsInstances(selection)
      ? selection.networkInterfaceIds.length > 0
        ? "no instance or ENI"
        : "no instance"
      : "no ENI";
    throw new GitopsInputError(`${what} in ${regionId} matches the selection: nothing written`);
  }
  const adoption = planAdoption(estate, options.kind, managed, selection, regionId);
  progress.phase(`writing ${plural(adoption.resources.length, "resource")}`);
  output.write(render(adoption, options));
  report(adoption, options.out);
}

function render(adoption: Adoption, options: AdoptOptions): string {
  switch (options.format) {
    case "json":
      return writeAdoptionJson(adoption);
    case "cdktf":
      return writeCdktf(adoption, { cdk: options.cdk, withProvider: options.withProvider });
    case "hcl":
      return writeHcl(adoption, {
        ...(options.withProvider
          ? { withProvider: { source: PROVIDER_ADDRESS, version: providerVersion() } }
          : {}),
      });
  }
}

/** One line on stderr saying what was written, and what was not found or left out. */
function report(adoption: Adoption, out: string | undefined): void {
  const lines: string[] = [];
  for (const id of adoption.instancesNotFound) {
    lines.push(`warning: --instance-id ${id}: no such instance, or it does not match the filters`);
  }
  for (const id of adoption.networkInterfacesNotFound) {
    lines.push(`warning: --network-interface-id ${id}: no such network interface`);
  }
  for (const id of adoption.groupsNotFound) lines.push(`warning: --security-group-id ${id}: no such group`);
  const leftOut = leftOutCount(adoption);
  const left = leftOut > 0 ? `; ${plural(leftOut, "membership")} left out (listed in the header)` : "";
  lines.push(`${adoptionSummary(adoption)} written to ${out ?? "stdout"}${left}`);
  for (const line of lines) process.stderr.write(`alisg adopt: ${line}\n`);
}
