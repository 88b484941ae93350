import { TerraformResource } from "cdktf";
import { InstanceSecurityGroups, SecurityGroupAttachment } from "../../../src";
import { AlicloudProvider, Instance, SecurityGroup } from "../fixtures/alicloud";
import { stackWithProvider, validationErrors } from "../helpers";

const FIX = 'add lifecycle { ignore_changes = ["security_groups"] } to the instance';

describe("[alisg:AlicloudInstanceConflict]", () => {
  test("refuses a group listed in the instance's security_groups and attached by alisg", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const web = new SecurityGroup(stack, "web");
    const vm = new Instance(stack, "vm", {
      instanceType: "ecs.g7.large",
      imageId: "img",
      securityGroups: [web.id],
    });
    new SecurityGroupAttachment(stack, "attach", { instanceId: vm.id, securityGroupId: web.id });
    const errors = validationErrors(stack);
    expect(errors).toContain(
      "[alisg:AlicloudInstanceConflict] alicloud_instance test/vm and SecurityGroupAttachment test/attach both " +
        "manage the security groups of the same instance, so they would fight on every apply: both list security " +
        "group ${alicloud_security_group.web.id}. Remove the group from one side, or " +
        FIX,
    );
  });

  test("recognises a raw TerraformResource of type alicloud_instance, configured by overrides", () => {
    const stack = stackWithProvider();
    const vm = new TerraformResource(stack, "vm", { terraformResourceType: "alicloud_instance" });
    vm.addOverride("security_groups", ["sg-base", "sg-web"]);
    new SecurityGroupAttachment(stack, "attach", {
      instanceId: vm.getStringAttribute("id"),
      securityGroupId: "sg-web",
    });
    expect(validationErrors(stack)).toContain('both list security group "sg-web"');
  });

  test("refuses a group the instance's complete list leaves out (it would be left on every apply)", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const vm = new Instance(stack, "vm", {
      instanceType: "ecs.g7.large",
      imageId: "img",
      securityGroups: ["sg-base"],
    });
    new InstanceSecurityGroups(stack, "set", { instanceId: vm.id, securityGroupIds: ["sg-base", "sg-web"] });
    const errors = validationErrors(stack);
    expect(errors).toContain(
      "[alisg:AlicloudInstanceConflict] alicloud_instance test/vm and InstanceSecurityGroups test/set both manage",
    );
    expect(errors).toContain(
      'test/vm\'s security_groups, which the alicloud provider treats as the complete list, leaves out "sg-web"',
    );
    expect(errors).toContain(
      'Add lifecycle { ignore_changes = ["security_groups"] } to the instance (in cdktf: lifecycle: ' +
        '{ ignoreChanges: ["security_groups"] }), or list the groups in its security_groups and remove test/set.',
    );
  });

  test("matches an instance imported from a literal ID", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const vm = new Instance(stack, "vm", {
      instanceType: "ecs.g7.large",
      imageId: "img",
      securityGroups: ["sg-web"],
    });
    vm.importFrom("i-web1");
    new SecurityGroupAttachment(stack, "attach", { instanceId: "i-web1", securityGroupId: "sg-web" });
    expect(validationErrors(stack)).toContain("[alisg:AlicloudInstanceConflict] alicloud_instance test/vm");
  });

  test("accepts the instance once it ignores changes to security_groups", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const vm = new Instance(stack, "vm", {
      instanceType: "ecs.g7.large",
      imageId: "img",
      securityGroups: ["sg-base"],
      lifecycle: { ignoreChanges: ["security_groups"] },
    });
    new SecurityGroupAttachment(stack, "attach", { instanceId: vm.id, securityGroupId: "sg-base" });
    expect(validationErrors(stack)).toBe("");
  });

  test("accepts attachments of other instances, and instances that leave security_groups unset", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    new Instance(stack, "listed", {
      instanceType: "ecs.g7.large",
      imageId: "img",
      securityGroups: ["sg-web"],
    });
    const bare = new Instance(stack, "bare", { instanceType: "ecs.g7.large", imageId: "img" });
    new SecurityGroupAttachment(stack, "literal", { instanceId: "i-web1", securityGroupId: "sg-web" });
    new SecurityGroupAttachment(stack, "to-bare", { instanceId: bare.id, securityGroupId: "sg-web" });
    expect(validationErrors(stack)).toBe("");
  });
});
