import { TerraformStack, Testing } from "cdktf";
import { InstanceSecurityGroups, SecurityGroupAttachment } from "../../../src";
import { stackWithProvider, validationErrors } from "../helpers";

describe("the library's synth-time validation", () => {
  test("is registered once per stack, however many constructs it has", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "a", { instanceId: "i-web1", securityGroupId: "sg-web" });
    new SecurityGroupAttachment(stack, "b", { instanceId: "i-web1", securityGroupId: "sg-web" });
    new InstanceSecurityGroups(stack, "c", { instanceId: "i-db1", securityGroupIds: ["sg-db"] });
    expect(stack.node.validate()).toHaveLength(1);
  });

  test("lists every problem at once, each with its identifier", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "a", { instanceId: "i web1", securityGroupId: "sg-web" });
    new InstanceSecurityGroups(stack, "b", { instanceId: "i-db1", securityGroupIds: [] });
    const errors = validationErrors(stack);
    expect(errors).toContain("[alisg:MalformedInstanceId]");
    expect(errors).toContain("[alisg:EmptySecurityGroupIds]");
  });

  test("runs only when validations run: Testing.synth without them still synthesizes", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "b", { instanceId: "i-db1", securityGroupIds: [] });
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(() => Testing.fullSynth(stack)).toThrow("[alisg:EmptySecurityGroupIds]");
  });

  test("cdktf's own check asks for the provider when a stack has alisg resources without it", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    new SecurityGroupAttachment(stack, "a", { instanceId: "i-web1", securityGroupId: "sg-web" });
    expect(validationErrors(stack)).toContain("for the following providers: alisg");
  });
});
