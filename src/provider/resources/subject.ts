import type { ResourceKind } from "../../membership";
import type { FactsSource } from "../guard/facts";

/**
 * What a membership resource names: an ECS instance or an elastic network
 * interface (ENI). The resources of both are one implementation each
 * (`attachmentTypeFor`, `securityGroupsTypeFor`), parameterised by this.
 */
export interface MembershipSubject {
  /** `instance` or `network interface`, inside a sentence. */
  readonly noun: string;
  /** The attribute that holds the subject's ID. */
  readonly idAttribute: "instance_id" | "network_interface_id";
  readonly attachmentTypeName: ResourceKind & string;
  readonly setTypeName: ResourceKind & string;
  /** An ID in the examples of error details. */
  readonly exampleId: string;
  /** The subject's groups as described during this walk; undefined: it does not exist. */
  groups(facts: FactsSource, id: string): Promise<readonly string[] | undefined>;
}

export const INSTANCE_SUBJECT: MembershipSubject = {
  noun: "instance",
  idAttribute: "instance_id",
  attachmentTypeName: "alisg_attachment",
  setTypeName: "alisg_instance_security_groups",
  exampleId: "i-bp1abc",
  groups: async (facts, id) => (await facts.instance(id))?.securityGroupIds,
};

/** An ENI; a primary ENI's groups are its instance's (ECS reports them on both). */
export const NETWORK_INTERFACE_SUBJECT: MembershipSubject = {
  noun: "network interface",
  idAttribute: "network_interface_id",
  attachmentTypeName: "alisg_network_interface_attachment",
  setTypeName: "alisg_network_interface_security_groups",
  exampleId: "eni-bp1abc",
  groups: async (facts, id) => (await facts.networkInterface(id))?.securityGroupIds,
};
