import { RESOURCE_TYPES, type AdoptedResource, type Adoption } from "./adoption";
import { headerLines } from "./header";
import { commentText } from "./text";

/** Which CDK the app is on: the module differs only in where it imports the constructs from. */
export type CdkFlavour = "cdktf" | "cdktn";

/** The library's entry point for each CDK (DESIGN.md, "Names"). */
export const LIBRARY_ENTRY: Readonly<Record<CdkFlavour, string>> = {
  cdktf: "cdktf-alicloud-sg-attachment",
  cdktn: "cdktf-alicloud-sg-attachment/cdktn",
};

/** The function the module exports. */
export const ADOPT_FUNCTION = "addAdoptedSecurityGroups";

export interface CdktfOptions {
  readonly cdk: CdkFlavour;
  /** Add an `AlisgProvider` for the region (when the stack has none yet). */
  readonly withProvider: boolean;
}

const CONSTRUCTS = {
  alisg_attachment: "SecurityGroupAttachment",
  alisg_instance_security_groups: "InstanceSecurityGroups",
  alisg_network_interface_attachment: "NetworkInterfaceSecurityGroupAttachment",
  alisg_network_interface_security_groups: "NetworkInterfaceSecurityGroups",
} as const;

/**
 * `--format cdktf`: a TypeScript module exporting one function that adds the
 * constructs to a stack, each followed by `importFrom(id)`. It imports only
 * `constructs` (for the scope's type, the same in both CDKs) and the library's
 * entry point for the chosen CDK, so the only line that differs between a
 * cdktf and a cdktn app is that import.
 */
export function writeCdktf(adoption: Adoption, options: CdktfOptions): string {
  const other: CdkFlavour = options.cdk === "cdktf" ? "cdktn" : "cdktf";
  const header = [
    ...headerLines(adoption, "cdktf"),
    `Written for a ${options.cdk} app; for a ${other} app, import from "${LIBRARY_ENTRY[other]}" instead (or run alisg adopt with --cdk ${other}).`,
  ];
  const used = [
    ...(options.withProvider ? ["AlisgProvider"] : []),
    ...new Set(adoption.resources.map((r) => CONSTRUCTS[r.type])),
  ].sort();
  const out = header.map((l) => `// ${commentText(l)}`.trimEnd());
  out.push('import type { Construct } from "constructs";');
  if (used.length > 0) out.push(`import { ${used.join(", ")} } from "${LIBRARY_ENTRY[options.cdk]}";`);
  out.push(
    "",
    "/**",
    " * Adds the adopted memberships to `scope` (the TerraformStack that holds the",
    " * alisg provider), each imported with `importFrom`: the first plan imports them",
    " * and changes nothing in ECS.",
    " */",
    `export function ${ADOPT_FUNCTION}(scope: Construct): void {`,
  );
  const body: string[] = [];
  if (options.withProvider)
    body.push(`new AlisgProvider(scope, "alisg", { region: "${adoption.regionId}" });`);
  for (const r of adoption.resources) body.push(...construct(r, adoption.groupNames));
  if (body.length === 0) body.push("// Nothing to adopt.");
  out.push(...body.map((l) => `  ${l}`), "}");
  return `${out.join("\n")}\n`;
}

function construct(r: AdoptedResource, names: ReadonlyMap<string, string>): string[] {
  const lines = r.cautions.map((c) => `// ${commentText(c.message)}`);
  const named = (g: string) => (names.has(g) ? ` // ${commentText(names.get(g)!)}` : "");
  const idProp = r.member === "instance" ? "instanceId" : "networkInterfaceId";
  lines.push(`new ${CONSTRUCTS[r.type]}(scope, "${r.name}", {`, `  ${idProp}: "${r.memberId}",`);
  if (r.type === RESOURCE_TYPES[r.member].attachment) {
    const g = r.securityGroupIds[0];
    lines.push(`  securityGroupId: "${g}",${named(g)}`);
  } else if (r.securityGroupIds.some((g) => names.has(g))) {
    lines.push("  securityGroupIds: [");
    for (const g of r.securityGroupIds) lines.push(`    "${g}",${named(g)}`);
    lines.push("  ],");
  } else {
    lines.push(`  securityGroupIds: [${r.securityGroupIds.map((g) => `"${g}"`).join(", ")}],`);
  }
  lines.push(`}).importFrom("${r.importId}");`);
  return lines;
}
