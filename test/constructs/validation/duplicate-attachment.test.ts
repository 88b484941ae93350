import { TerraformStack, Testing } from "cdktf";
import { AlisgProvider, SecurityGroupAttachment } from "../../../src";
import { AlicloudProvider, Instance, SecurityGroup } from "../fixtures/alicloud";
import { stackWithProvider, validationErrors } from "../helpers";

describe("[alisg:DuplicateAttachment]", () => {
  test("refuses the same literal pair attached twice, naming both constructs", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "a", { instanceId: "i-web1", securityGroupId: "sg-web" });
    new SecurityGroupAttachment(stack, "b", { instanceId: "i-web1", securityGroupId: "sg-web" });
    expect(validationErrors(stack)).toContain(
      '[alisg:DuplicateAttachment] SecurityGroupAttachments test/a, test/b all attach security group "sg-web" to instance "i-web1"',
    );
  });

  test("refuses the same references attached twice (two reads of instance.id are one instance)", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const vm = new Instance(stack, "vm", { instanceType: "ecs.g7.large", imageId: "img" });
    const sg = new SecurityGroup(stack, "sg");
    new SecurityGroupAttachment(stack, "a", { instanceId: vm.id, securityGroupId: sg.id });
    new SecurityGroupAttachment(stack, "b", { instanceId: vm.id, securityGroupId: sg.id });
    expect(validationErrors(stack)).toContain(
      "all attach security group ${alicloud_security_group.sg.id} to instance ${alicloud_instance.vm.id}",
    );
  });

  test("accepts the same literal pair in two stacks, which may target different regions or accounts", () => {
    const app = Testing.app();
    const stacks = ["cn-hangzhou", "cn-shanghai"].map((id) => new TerraformStack(app, id));
    for (const stack of stacks) {
      new AlisgProvider(stack, "alisg", { region: stack.node.id });
      new SecurityGroupAttachment(stack, "web", { instanceId: "i-web1", securityGroupId: "sg-web" });
    }
    expect(validationErrors(stacks[0])).toBe("");
    expect(validationErrors(stacks[1])).toBe("");
  });

  test("accepts one instance in two groups and two instances in one group", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "a", { instanceId: "i-web1", securityGroupId: "sg-web" });
    new SecurityGroupAttachment(stack, "b", { instanceId: "i-web1", securityGroupId: "sg-ops" });
    new SecurityGroupAttachment(stack, "c", { instanceId: "i-web2", securityGroupId: "sg-web" });
    expect(validationErrors(stack)).toBe("");
  });

  test("does not compare a literal with a reference, nor two different references", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const one = new Instance(stack, "one", { instanceType: "ecs.g7.large", imageId: "img" });
    const two = new Instance(stack, "two", { instanceType: "ecs.g7.large", imageId: "img" });
    new SecurityGroupAttachment(stack, "a", { instanceId: one.id, securityGroupId: "sg-web" });
    new SecurityGroupAttachment(stack, "b", { instanceId: two.id, securityGroupId: "sg-web" });
    new SecurityGroupAttachment(stack, "c", { instanceId: "i-web1", securityGroupId: "sg-web" });
    expect(validationErrors(stack)).toBe("");
  });
});
