import { MAX_TAG_FILTERS, type InstanceFilter, type TagFilter } from "../../ecs";
import { describeMalformedId, isWellFormedInstanceId } from "../../membership";
import { GitopsInputError } from "../input-error";
import { displayText } from "./text";

/**
 * Which instances `alisg adopt` brings under management: the instances
 * named, and those matching every filter given (filters are ANDed; several
 * groups mean "in any of them"); and, in addition, the ENIs named.
 */
export interface AdoptSelection {
  readonly instanceIds: readonly string[];
  /** ENIs adopted in addition to the instances; the filters do not apply to them. */
  readonly networkInterfaceIds: readonly string[];
  readonly vpcId?: string;
  /** Every one must match. */
  readonly tags: readonly TagFilter[];
  /** The instance is in at least one of them. */
  readonly securityGroupIds: readonly string[];
}

/**
 * Refuses a selection that selects nothing or names something no ECS ID or
 * tag can be, with a message that says what to give instead.
 */
export function checkSelection(selection: AdoptSelection): void {
  const { instanceIds, networkInterfaceIds, vpcId, tags, securityGroupIds } = selection;
  if (!selectsInstances(selection) && networkInterfaceIds.length === 0) {
    throw new GitopsInputError(
      "say which instances to adopt: give --instance-id ID (repeatable), or filters --vpc-id ID, --tag KEY=VALUE, --security-group-id ID; or ENIs with --network-interface-id ID (repeatable)",
    );
  }
  const ids: [string, string][] = [
    ...instanceIds.map((id): [string, string] => ["--instance-id", id]),
    ...networkInterfaceIds.map((id): [string, string] => ["--network-interface-id", id]),
    ...(vpcId === undefined ? [] : [["--vpc-id", vpcId] as [string, string]]),
    ...securityGroupIds.map((id): [string, string] => ["--security-group-id", id]),
  ];
  for (const [option, id] of ids) {
    if (!isWellFormedInstanceId(id)) {
      throw new GitopsInputError(`${option} ${displayText(id)} is not an ECS ID: ${describeMalformedId(id)}`);
    }
  }
  if (tags.length > MAX_TAG_FILTERS) {
    throw new GitopsInputError(
      `${tags.length} --tag filters: ECS matches at most ${MAX_TAG_FILTERS} tags in one query`,
    );
  }
}

/** Whether the selection names instances or filters for them (else it names only ENIs). */
export function selectsInstances(selection: AdoptSelection): boolean {
  const { instanceIds, vpcId, tags, securityGroupIds } = selection;
  return instanceIds.length > 0 || vpcId !== undefined || tags.length > 0 || securityGroupIds.length > 0;
}

/**
 * `--tag KEY=VALUE` (the value may itself hold `=`), or `--tag KEY` for any
 * value of the key. An empty key, or `KEY=` with nothing after it, is refused:
 * ECS ignores an empty value, so it could only mean "any value", which `--tag
 * KEY` says.
 */
export function parseTagOption(text: string): TagFilter {
  const at = text.indexOf("=");
  const key = at < 0 ? text : text.slice(0, at);
  if (key === "") {
    throw new GitopsInputError(`--tag ${displayText(text)}: expected KEY=VALUE (or KEY for any value)`);
  }
  if (at < 0) return { key };
  const value = text.slice(at + 1);
  if (value === "") {
    throw new GitopsInputError(
      `--tag ${displayText(text)}: the value is empty; give --tag ${displayText(key)} to match any value of the key`,
    );
  }
  return { key, value };
}

/**
 * The DescribeInstances queries that find the selection. ECS filters by one
 * group a call, so several `--security-group-id`s without instance IDs are
 * one query per group (their union is the selection); with instance IDs, the
 * groups are matched on the instances found instead (see {@link inSelectedGroups}).
 */
export function instanceQueries(selection: AdoptSelection): InstanceFilter[] {
  const base: InstanceFilter = {
    ...(selection.vpcId === undefined ? {} : { vpcId: selection.vpcId }),
    ...(selection.tags.length > 0 ? { tags: selection.tags } : {}),
  };
  const groups = [...new Set(selection.securityGroupIds)].sort();
  if (selection.instanceIds.length > 0) {
    return [
      {
        ...base,
        instanceIds: [...new Set(selection.instanceIds)].sort(),
        ...(groups.length === 1 ? { securityGroupId: groups[0] } : {}),
      },
    ];
  }
  if (groups.length <= 1)
    return [{ ...base, ...(groups.length === 1 ? { securityGroupId: groups[0] } : {}) }];
  return groups.map((securityGroupId) => ({ ...base, securityGroupId }));
}

/** Whether an instance is in one of the selected groups (true when no group is selected). */
export function inSelectedGroups(
  selection: AdoptSelection,
  instance: { readonly securityGroupIds: readonly string[] },
): boolean {
  return (
    selection.securityGroupIds.length === 0 ||
    instance.securityGroupIds.some((g) => selection.securityGroupIds.includes(g))
  );
}

/** The selection as options, for the header of what adopt writes: `--vpc-id vpc-main --tag env=prod`. */
export function describeSelection(selection: AdoptSelection): string {
  return [
    ...[...new Set(selection.instanceIds)].sort().map((id) => `--instance-id ${displayText(id)}`),
    ...(selection.vpcId === undefined ? [] : [`--vpc-id ${displayText(selection.vpcId)}`]),
    ...selection.tags.map(
      (t) => `--tag ${displayText(t.value === undefined ? t.key : `${t.key}=${t.value}`)}`,
    ),
    ...[...new Set(selection.securityGroupIds)].sort().map((id) => `--security-group-id ${displayText(id)}`),
    ...[...new Set(selection.networkInterfaceIds)]
      .sort()
      .map((id) => `--network-interface-id ${displayText(id)}`),
  ].join(" ");
}
