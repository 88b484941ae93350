import { TerraformVariable } from "cdktf";
import {
  InstanceSecurityGroups,
  NetworkInterfaceSecurityGroupAttachment,
  NetworkInterfaceSecurityGroups,
  SecurityGroupAttachment,
} from "../../src";
import { stackWithProvider, synthJson, validationErrors } from "./helpers";

describe("NetworkInterfaceSecurityGroupAttachment and NetworkInterfaceSecurityGroups", () => {
  test("synthesize alisg_network_interface_attachment and alisg_network_interface_security_groups in snake_case", () => {
    const stack = stackWithProvider();
    new NetworkInterfaceSecurityGroupAttachment(stack, "tenant", {
      networkInterfaceId: "eni-t1",
      securityGroupId: "sg-tenant",
      retainOnDelete: true,
      timeouts: { delete: "3m" },
    });
    new NetworkInterfaceSecurityGroups(stack, "wan", {
      networkInterfaceId: "eni-w1",
      securityGroupIds: ["sg-base", "sg-wan"],
    });
    const json = synthJson(stack);
    expect(json.resource.alisg_network_interface_attachment.tenant).toEqual({
      network_interface_id: "eni-t1",
      security_group_id: "sg-tenant",
      retain_on_delete: true,
      timeouts: { delete: "3m" },
    });
    expect(json.resource.alisg_network_interface_security_groups.wan).toEqual({
      network_interface_id: "eni-w1",
      security_group_ids: ["sg-base", "sg-wan"],
    });
  });

  test("expose references to their attributes", () => {
    const stack = stackWithProvider();
    const a = new NetworkInterfaceSecurityGroupAttachment(stack, "a", {
      networkInterfaceId: "eni-1",
      securityGroupId: "sg-1",
    });
    const s = new NetworkInterfaceSecurityGroups(stack, "s", {
      networkInterfaceId: "eni-2",
      securityGroupIds: ["sg-1"],
    });
    new NetworkInterfaceSecurityGroupAttachment(stack, "ref", {
      networkInterfaceId: s.networkInterfaceId,
      securityGroupId: a.securityGroupId,
    });
    expect(synthJson(stack).resource.alisg_network_interface_attachment.ref).toEqual({
      network_interface_id: "${alisg_network_interface_security_groups.s.network_interface_id}",
      security_group_id: "${alisg_network_interface_attachment.a.security_group_id}",
    });
  });

  test("import by <network_interface_id>:<security_group_id> and by the ENI ID", () => {
    const stack = stackWithProvider();
    NetworkInterfaceSecurityGroupAttachment.generateConfigForImport(stack, "adopted", "eni-1:sg-1");
    NetworkInterfaceSecurityGroups.generateConfigForImport(stack, "set", "eni-2");
    const imports = synthJson(stack).import as { id: string; to: string }[];
    expect(imports.map((i) => [i.to, i.id])).toEqual([
      ["alisg_network_interface_attachment.adopted", "eni-1:sg-1"],
      ["alisg_network_interface_security_groups.set", "eni-2"],
    ]);
  });

  test("[alisg:DuplicateAttachment]: the same ENI and group attached twice", () => {
    const stack = stackWithProvider();
    new NetworkInterfaceSecurityGroupAttachment(stack, "a", {
      networkInterfaceId: "eni-1",
      securityGroupId: "sg-web",
    });
    new NetworkInterfaceSecurityGroupAttachment(stack, "b", {
      networkInterfaceId: "eni-1",
      securityGroupId: "sg-web",
    });
    expect(validationErrors(stack)).toContain(
      '[alisg:DuplicateAttachment] NetworkInterfaceSecurityGroupAttachments test/a, test/b all attach security group "sg-web" to network interface "eni-1"',
    );
  });

  test("[alisg:MixedMembershipResources]: an ENI under both an attachment and a set", () => {
    const stack = stackWithProvider();
    new NetworkInterfaceSecurityGroups(stack, "set", {
      networkInterfaceId: "eni-1",
      securityGroupIds: ["sg-a"],
    });
    new NetworkInterfaceSecurityGroupAttachment(stack, "a", {
      networkInterfaceId: "eni-1",
      securityGroupId: "sg-b",
    });
    expect(validationErrors(stack)).toContain(
      '[alisg:MixedMembershipResources] Network interface "eni-1" is governed both by NetworkInterfaceSecurityGroupAttachment test/a and by NetworkInterfaceSecurityGroups test/set',
    );
  });

  test("[alisg:DuplicateInstanceSecurityGroups]: two sets for one ENI", () => {
    const stack = stackWithProvider();
    new NetworkInterfaceSecurityGroups(stack, "x", {
      networkInterfaceId: "eni-1",
      securityGroupIds: ["sg-a"],
    });
    new NetworkInterfaceSecurityGroups(stack, "y", {
      networkInterfaceId: "eni-1",
      securityGroupIds: ["sg-b"],
    });
    expect(validationErrors(stack)).toContain("[alisg:DuplicateInstanceSecurityGroups]");
  });

  test("[alisg:EmptySecurityGroupIds] and malformed IDs name the ENI construct", () => {
    const stack = stackWithProvider();
    new NetworkInterfaceSecurityGroups(stack, "empty", { networkInterfaceId: "eni-1", securityGroupIds: [] });
    new NetworkInterfaceSecurityGroupAttachment(stack, "bad", {
      networkInterfaceId: "eni 2",
      securityGroupId: "sg-a",
    });
    const errors = validationErrors(stack);
    expect(errors).toContain("[alisg:EmptySecurityGroupIds] NetworkInterfaceSecurityGroups test/empty");
    expect(errors).toContain(
      '[alisg:MalformedNetworkInterfaceId] NetworkInterfaceSecurityGroupAttachment test/bad: network interface ID "eni 2"',
    );
  });

  test("an ENI is never confused with an instance of the same literal ID at synth time", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "set", { instanceId: "x-1", securityGroupIds: ["sg-a"] });
    new NetworkInterfaceSecurityGroupAttachment(stack, "eni", {
      networkInterfaceId: "x-1",
      securityGroupId: "sg-a",
    });
    new SecurityGroupAttachment(stack, "inst", { instanceId: "y-1", securityGroupId: "sg-a" });
    new NetworkInterfaceSecurityGroupAttachment(stack, "eni2", {
      networkInterfaceId: "y-1",
      securityGroupId: "sg-a",
    });
    expect(validationErrors(stack)).toBe("");
  });

  test("accepts distinct ENIs and tokens", () => {
    const stack = stackWithProvider();
    const eni = new TerraformVariable(stack, "eni", { type: "string" });
    new NetworkInterfaceSecurityGroupAttachment(stack, "a", {
      networkInterfaceId: eni.stringValue,
      securityGroupId: "sg-a",
    });
    new NetworkInterfaceSecurityGroupAttachment(stack, "b", {
      networkInterfaceId: "eni-2",
      securityGroupId: "sg-a",
    });
    expect(validationErrors(stack)).toBe("");
  });
});
