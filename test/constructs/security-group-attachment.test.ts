import { TerraformVariable, Testing } from "cdktf";
import { SecurityGroupAttachment } from "../../src";
import { AlicloudProvider, Instance, SecurityGroup } from "./fixtures/alicloud";
import { stackWithProvider, synthJson } from "./helpers";

describe("SecurityGroupAttachment", () => {
  test("synthesizes an alisg_attachment in snake_case", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", {
      instanceId: "i-web1",
      securityGroupId: "sg-web",
      retainOnDelete: true,
    });
    expect(synthJson(stack).resource.alisg_attachment.web).toEqual({
      instance_id: "i-web1",
      security_group_id: "sg-web",
      retain_on_delete: true,
    });
  });

  test("synthesizes the timeouts block with only the operations set", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", {
      instanceId: "i-web1",
      securityGroupId: "sg-web",
      timeouts: { delete: "3m" },
    });
    expect(synthJson(stack).resource.alisg_attachment.web.timeouts).toEqual({ delete: "3m" });
  });

  test("leaves retain_on_delete out unless set (the provider's default is false)", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", { instanceId: "i-web1", securityGroupId: "sg-web" });
    expect(synthJson(stack).resource.alisg_attachment.web).not.toHaveProperty("retain_on_delete");
  });

  test("passes tokens of generated alicloud bindings through untouched", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const vm = new Instance(stack, "vm", { instanceType: "ecs.g7.large", imageId: "img" });
    const sg = new SecurityGroup(stack, "sg");
    new SecurityGroupAttachment(stack, "web", { instanceId: vm.id, securityGroupId: sg.id });
    expect(synthJson(stack).resource.alisg_attachment.web).toEqual({
      instance_id: "${alicloud_instance.vm.id}",
      security_group_id: "${alicloud_security_group.sg.id}",
    });
  });

  test("exposes id, instance_id and security_group_id as references", () => {
    const stack = stackWithProvider();
    const web = new SecurityGroupAttachment(stack, "web", {
      instanceId: "i-web1",
      securityGroupId: "sg-web",
    });
    new TerraformVariable(stack, "copy", { default: web.id });
    new TerraformVariable(stack, "i", { default: web.instanceId });
    new TerraformVariable(stack, "g", { default: web.securityGroupId });
    const json = synthJson(stack);
    expect(json.variable.copy.default).toBe("${alisg_attachment.web.id}");
    expect(json.variable.i.default).toBe("${alisg_attachment.web.instance_id}");
    expect(json.variable.g.default).toBe("${alisg_attachment.web.security_group_id}");
  });

  test("supports the usual meta-arguments", () => {
    const stack = stackWithProvider();
    const first = new SecurityGroupAttachment(stack, "first", { instanceId: "i-1", securityGroupId: "sg-1" });
    new SecurityGroupAttachment(stack, "second", {
      instanceId: "i-1",
      securityGroupId: "sg-2",
      dependsOn: [first],
      lifecycle: { preventDestroy: true },
    });
    const second = synthJson(stack).resource.alisg_attachment.second;
    expect(second.depends_on).toEqual(["alisg_attachment.first"]);
    expect(second.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("declares an import block for an existing membership", () => {
    const stack = stackWithProvider();
    SecurityGroupAttachment.generateConfigForImport(stack, "adopted", "i-web2:sg-web");
    expect(synthJson(stack).import).toEqual([{ id: "i-web2:sg-web", to: "alisg_attachment.adopted" }]);
  });

  test("HCL output carries the attributes", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", { instanceId: "i-web1", securityGroupId: "sg-web" });
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toMatch(/resource "alisg_attachment" "web"/);
    expect(hcl).toMatch(/security_group_id\s*=\s*"sg-web"/);
  });
});
