import { TerraformVariable, Testing, Token } from "cdktf";
import { InstanceSecurityGroups } from "../../src";
import { AlicloudProvider, Instance, SecurityGroup } from "./fixtures/alicloud";
import { stackWithProvider, synthJson } from "./helpers";

describe("InstanceSecurityGroups", () => {
  test("synthesizes an alisg_instance_security_groups in snake_case", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] });
    expect(synthJson(stack).resource.alisg_instance_security_groups.db).toEqual({
      instance_id: "i-db1",
      security_group_ids: ["sg-base", "sg-db"],
    });
  });

  test("passes element tokens and list tokens through untouched", () => {
    const stack = stackWithProvider();
    new AlicloudProvider(stack, "alicloud");
    const vm = new Instance(stack, "vm", { instanceType: "ecs.g7.large", imageId: "img" });
    const sg = new SecurityGroup(stack, "sg");
    const groups = new TerraformVariable(stack, "groups", { type: "list(string)" });
    new InstanceSecurityGroups(stack, "a", { instanceId: vm.id, securityGroupIds: ["sg-base", sg.id] });
    new InstanceSecurityGroups(stack, "b", {
      instanceId: "i-db1",
      securityGroupIds: Token.asList(groups.value),
    });
    const json = synthJson(stack).resource.alisg_instance_security_groups;
    expect(json.a).toEqual({
      instance_id: "${alicloud_instance.vm.id}",
      security_group_ids: ["sg-base", "${alicloud_security_group.sg.id}"],
    });
    expect(json.b.security_group_ids).toBe("${var.groups}");
  });

  test("exposes id, instance_id and security_group_ids as references", () => {
    const stack = stackWithProvider();
    const db = new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-db"] });
    new TerraformVariable(stack, "id", { default: db.id });
    new TerraformVariable(stack, "groups", { default: db.securityGroupIds });
    const json = synthJson(stack);
    expect(json.variable.id.default).toBe("${alisg_instance_security_groups.db.id}");
    expect(json.variable.groups.default).toBe("${alisg_instance_security_groups.db.security_group_ids}");
  });

  test("supports count", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-db"], count: 1 });
    expect(synthJson(stack).resource.alisg_instance_security_groups.db.count).toBe(1);
  });

  test("HCL output writes the set", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] });
    expect(Testing.synthHcl(stack)).toMatch(/security_group_ids = \[\s*"sg-base",\s*"sg-db"\s*\]/);
  });
});
