import { RESOURCE_TYPES, type AdoptedResource, type Adoption } from "./adoption";
import { headerLines } from "./header";
import { commentText } from "./text";

/** The provider, for `--with-provider`. */
export interface ProviderRequirement {
  /** `registry.terraform.io/alisg/alisg`: one address for Terraform and OpenTofu */
  readonly source: string;
  /** The package version. */
  readonly version: string;
}

export interface HclOptions {
  /** Add the `terraform` (required_providers) and `provider "alisg"` blocks. */
  readonly withProvider?: ProviderRequirement;
}

/**
 * `--format hcl`: for each resource an `import` block (`to`, `id`) and the
 * resource block, laid out as `terraform fmt` lays them out. By default no
 * `terraform` or `provider` block, so that the file drops into a
 * configuration that already has them. IDs are of `A-Z a-z 0-9 - _` (adopt
 * leaves out anything else), so they need no escaping in a string.
 */
export function writeHcl(adoption: Adoption, options: HclOptions): string {
  const blocks: string[] = [comment(headerLines(adoption, "hcl"), "")];
  const provider = options.withProvider;
  if (provider) {
    blocks.push(
      [
        "terraform {",
        "  required_providers {",
        "    alisg = {",
        `      source  = "${provider.source}"`,
        `      version = "${provider.version}"`,
        "    }",
        "  }",
        "}",
      ].join("\n"),
      ['provider "alisg" {', `  region = "${adoption.regionId}"`, "}"].join("\n"),
    );
  }
  for (const r of adoption.resources) blocks.push(resourceBlocks(r, adoption.groupNames));
  return `${blocks.join("\n\n")}\n`;
}

function resourceBlocks(r: AdoptedResource, names: ReadonlyMap<string, string>): string {
  const lines = r.cautions.map((c) => `# ${commentText(c.message)}`);
  lines.push("import {", `  to = ${r.type}.${r.name}`, `  id = "${r.importId}"`, "}", "");
  lines.push(`resource "${r.type}" "${r.name}" {`);
  const named = (g: string) => (names.has(g) ? ` # ${commentText(names.get(g)!)}` : "");
  const idAttribute = r.member === "instance" ? "instance_id" : "network_interface_id";
  // `terraform fmt` aligns `=` across consecutive single-line attributes only.
  const align = (attributes: [string, string][]) => {
    const width = Math.max(...attributes.map(([k]) => k.length));
    return attributes.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`);
  };
  if (r.type === RESOURCE_TYPES[r.member].attachment) {
    const g = r.securityGroupIds[0];
    lines.push(
      ...align([
        [idAttribute, `"${r.memberId}"`],
        ["security_group_id", `"${g}"${named(g)}`],
      ]),
    );
  } else if (r.securityGroupIds.some((g) => names.has(g))) {
    lines.push(`  ${idAttribute} = "${r.memberId}"`, "  security_group_ids = [");
    for (const g of r.securityGroupIds) lines.push(`    "${g}",${named(g)}`);
    lines.push("  ]");
  } else {
    const list = r.securityGroupIds.map((g) => `"${g}"`).join(", ");
    lines.push(
      ...align([
        [idAttribute, `"${r.memberId}"`],
        ["security_group_ids", `[${list}]`],
      ]),
    );
  }
  lines.push("}");
  return lines.join("\n");
}

function comment(lines: readonly string[], indent: string): string {
  return lines.map((l) => `${indent}# ${commentText(l)}`.trimEnd()).join("\n");
}
