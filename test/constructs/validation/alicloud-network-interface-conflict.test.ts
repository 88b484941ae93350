import { TerraformResource } from "cdktf";
import {
  NetworkInterfaceSecurityGroupAttachment,
  NetworkInterfaceSecurityGroups,
  SecurityGroupAttachment,
} from "../../../src";
import { AlicloudProvider, EcsNetworkInterface, Instance, SecurityGroup } from "../fixtures/alicloud";
import { stackWithProvider, validationErrors } from "../helpers";

const FIX = 'add lifecycle { ignore_changes = ["security_group_ids"] } to the network interface';

describe("[alisg:AlicloudNetworkInterfaceConflict]", () => {
  test("refuses a group listed in the ENI's security_group_ids and attached by alisg", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const web = new SecurityGroup(stack, "web");
    const nic = new EcsNetworkInterface(stack, "nic", { vswitchId: "vsw-1", securityGroupIds: [web.id] });
    new NetworkInterfaceSecurityGroupAttachment(stack, "attach", {
      networkInterfaceId: nic.id,
      securityGroupId: web.id,
    });
    expect(validationErrors(stack)).toContain(
      "[alisg:AlicloudNetworkInterfaceConflict] alicloud_ecs_network_interface test/nic and " +
        "NetworkInterfaceSecurityGroupAttachment test/attach both manage the security groups of the same " +
        "network interface, so they would fight on every apply: both list security group " +
        "${alicloud_security_group.web.id}. Remove the group from one side, or " +
        FIX +
        ' (in cdktf: lifecycle: { ignoreChanges: ["security_group_ids"] }).',
    );
  });

  test("refuses a group the ENI's complete list leaves out (it would be dropped on every apply)", () => {
    const stack = stackWithProvider();
    const nic = new EcsNetworkInterface(stack, "nic", { vswitchId: "vsw-1", securityGroupIds: ["sg-base"] });
    new NetworkInterfaceSecurityGroups(stack, "set", {
      networkInterfaceId: nic.id,
      securityGroupIds: ["sg-base", "sg-tenant"],
    });
    const errors = validationErrors(stack);
    expect(errors).toContain(
      "[alisg:AlicloudNetworkInterfaceConflict] alicloud_ecs_network_interface test/nic and NetworkInterfaceSecurityGroups test/set both manage",
    );
    expect(errors).toContain(
      'test/nic\'s security_group_ids, which the alicloud provider treats as the complete list, leaves out "sg-tenant", so each apply would take the network interface out of it',
    );
    expect(errors).toContain(
      'Add lifecycle { ignore_changes = ["security_group_ids"] } to the network interface (in cdktf: lifecycle: ' +
        '{ ignoreChanges: ["security_group_ids"] }), or list the groups in its security_group_ids and remove test/set.',
    );
    expect(errors).not.toContain("[alisg:AlicloudInstanceConflict]");
  });

  test("recognises a raw TerraformResource of type alicloud_ecs_network_interface, configured by overrides", () => {
    const stack = stackWithProvider();
    const nic = new TerraformResource(stack, "nic", {
      terraformResourceType: "alicloud_ecs_network_interface",
    });
    nic.addOverride("security_group_ids", ["sg-base", "sg-web"]);
    new NetworkInterfaceSecurityGroupAttachment(stack, "attach", {
      networkInterfaceId: nic.getStringAttribute("id"),
      securityGroupId: "sg-web",
    });
    expect(validationErrors(stack)).toContain(
      '[alisg:AlicloudNetworkInterfaceConflict] alicloud_ecs_network_interface test/nic and NetworkInterfaceSecurityGroupAttachment test/attach both manage the security groups of the same network interface, so they would fight on every apply: both list security group "sg-web"',
    );
  });

  test("matches an ENI imported from a literal ID, and says so when its list is known only at apply", () => {
    const stack = stackWithProvider();
    const nic = new EcsNetworkInterface(stack, "nic", { vswitchId: "vsw-1", securityGroupIds: ["sg-base"] });
    nic.importFrom("eni-bp1t");
    new NetworkInterfaceSecurityGroupAttachment(stack, "attach", {
      networkInterfaceId: "eni-bp1t",
      securityGroupId: "sg-tenant",
    });
    expect(validationErrors(stack)).toContain(
      '[alisg:AlicloudNetworkInterfaceConflict] alicloud_ecs_network_interface test/nic and NetworkInterfaceSecurityGroupAttachment test/attach both manage the security groups of the same network interface, so they would fight on every apply: test/nic\'s security_group_ids, which the alicloud provider treats as the complete list, leaves out "sg-tenant"',
    );

    const other = stackWithProvider("other");
    const unknownList = new TerraformResource(other, "nic", {
      terraformResourceType: "alicloud_ecs_network_interface",
    });
    unknownList.addOverride("security_group_ids", "${var.groups}");
    new NetworkInterfaceSecurityGroupAttachment(other, "attach", {
      networkInterfaceId: unknownList.getStringAttribute("id"),
      securityGroupId: "sg-tenant",
    });
    expect(validationErrors(other)).toContain(
      "other/nic sets security_group_ids, which the alicloud provider treats as the complete list",
    );
  });

  test("accepts the ENI once it ignores changes to security_group_ids", () => {
    for (const ignoreChanges of [["security_group_ids"], "all"] as const) {
      const stack = stackWithProvider();
      new AlicloudProvider(stack, "alicloud");
      const nic = new EcsNetworkInterface(stack, "nic", {
        vswitchId: "vsw-1",
        securityGroupIds: ["sg-base"],
        lifecycle: { ignoreChanges: ignoreChanges as never },
      });
      new NetworkInterfaceSecurityGroupAttachment(stack, "attach", {
        networkInterfaceId: nic.id,
        securityGroupId: "sg-base",
      });
      expect(validationErrors(stack)).toBe("");
    }
  });

  test("accepts attachments of other ENIs, ENIs that leave security_group_ids unset, and never matches an instance", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    new EcsNetworkInterface(stack, "listed", { vswitchId: "vsw-1", securityGroupIds: ["sg-web"] });
    const bare = new EcsNetworkInterface(stack, "bare", { vswitchId: "vsw-1" });
    new NetworkInterfaceSecurityGroupAttachment(stack, "literal", {
      networkInterfaceId: "eni-1",
      securityGroupId: "sg-web",
    });
    new NetworkInterfaceSecurityGroupAttachment(stack, "to-bare", {
      networkInterfaceId: bare.id,
      securityGroupId: "sg-web",
    });
    // An instance resource pointed at the ENI's ID is not an ENI membership (and an alicloud_instance
    // imported from the same literal as an ENI is another object).
    const nic = new EcsNetworkInterface(stack, "nic", { vswitchId: "vsw-1", securityGroupIds: ["sg-base"] });
    nic.importFrom("x-1");
    new SecurityGroupAttachment(stack, "inst", { instanceId: "x-1", securityGroupId: "sg-db" });
    const vm = new Instance(stack, "vm", { instanceType: "t", imageId: "img", securityGroups: ["sg-a"] });
    vm.importFrom("y-1");
    new NetworkInterfaceSecurityGroupAttachment(stack, "eni-y", {
      networkInterfaceId: "y-1",
      securityGroupId: "sg-b",
    });
    expect(validationErrors(stack)).toBe("");
  });
});
