import { InstanceSecurityGroups, SecurityGroupAttachment } from "../../../src";
import { stackWithProvider, validationErrors } from "../helpers";

describe("[alisg:MixedMembershipResources]", () => {
  test("refuses one instance under both an attachment and an authoritative set", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", { instanceId: "i-web1", securityGroupId: "sg-web" });
    new InstanceSecurityGroups(stack, "all", { instanceId: "i-web1", securityGroupIds: ["sg-base"] });
    const errors = validationErrors(stack);
    expect(errors).toContain(
      '[alisg:MixedMembershipResources] Instance "i-web1" is governed both by SecurityGroupAttachment test/web and by InstanceSecurityGroups test/all',
    );
    expect(errors).toContain("Use one kind per instance");
  });

  test("accepts each kind on a different instance", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", { instanceId: "i-web1", securityGroupId: "sg-web" });
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] });
    expect(validationErrors(stack)).toBe("");
  });
});
