import { plural } from "../report";
import { RESOURCE_TYPES, type Adoption } from "./adoption";
import { describeSelection, selectsInstances } from "./selection";

/** How the written code is applied, for the header's instructions. */
export type HeaderFlavour = "hcl" | "cdktf";

/**
 * The lines (without comment markers) that open what adopt writes: what was
 * selected, what is in the file, how to apply it, and what was left out and
 * why. Nothing that changes from run to run (no time, no host), so that the
 * same estate gives the same file.
 */
export function headerLines(adoption: Adoption, flavour: HeaderFlavour): string[] {
  const lines = [
    `Written by \`alisg adopt ${describeSelection(adoption.selection)} --kind ${adoption.kind}\` in ${adoption.regionId}:`,
    adoption.resources.length > 0
      ? `${adoptionSummary(adoption)}, each with its import.`
      : "nothing to adopt: every membership found is left out (below).",
    flavour === "hcl"
      ? "Importing changes nothing in ECS: the first `terraform plan` shows only imports, and its apply makes no Join or Leave call (import blocks need Terraform 1.5+)."
      : "Importing changes nothing in ECS: the first `cdktf plan` (or `terraform plan` in the stack dir) shows only imports, and its deploy makes no Join or Leave call.",
    "Once applied, the imports have done their work: keep them (an import of a resource already in the state is skipped) or delete them.",
  ];
  if (adoption.leftOut.length > 0) {
    lines.push(`Left out (${adoption.leftOut.length}):`);
    for (const l of adoption.leftOut) {
      const groups = l.securityGroupIds.length > 0 ? ` ${l.securityGroupIds.join(", ")}` : "";
      lines.push(`  ${l.memberId}${groups}: ${l.reason}`);
    }
  }
  for (const id of adoption.instancesNotFound) {
    lines.push(`Not found: --instance-id ${id} (no such instance, or it does not match the other filters).`);
  }
  for (const id of adoption.networkInterfacesNotFound) {
    lines.push(`Not found: --network-interface-id ${id} (no such network interface).`);
  }
  for (const id of adoption.groupsNotFound)
    lines.push(`Not found: --security-group-id ${id} (no such group).`);
  return lines;
}

/**
 * `3 alisg_attachment resources for 2 instances, 1 alisg_network_interface_attachment resource for 1 ENI`:
 * each kind of member that has resources; with none, the kind the selection asked for.
 */
export function adoptionSummary(adoption: Adoption): string {
  const kinds = [
    { member: "instance", noun: "instance", count: adoption.instances.length },
    { member: "networkInterface", noun: "ENI", count: adoption.networkInterfaces.length },
  ] as const;
  const written = kinds.filter((k) => adoption.resources.some((r) => r.member === k.member));
  const shown = written.length > 0 ? written : [selectsInstances(adoption.selection) ? kinds[0] : kinds[1]];
  return shown
    .map(({ member, noun, count }) => {
      const resources = adoption.resources.filter((r) => r.member === member).length;
      return `${plural(resources, `${RESOURCE_TYPES[member][adoption.kind]} resource`)} for ${plural(count, noun)}`;
    })
    .join(", ");
}
