import { InstanceSecurityGroups } from "../../../src";
import { stackWithProvider, validationErrors } from "../helpers";

describe("[alisg:DuplicateInstanceSecurityGroups]", () => {
  test("refuses two authoritative sets for one instance", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "a", { instanceId: "i-db1", securityGroupIds: ["sg-base"] });
    new InstanceSecurityGroups(stack, "b", { instanceId: "i-db1", securityGroupIds: ["sg-db"] });
    expect(validationErrors(stack)).toContain(
      '[alisg:DuplicateInstanceSecurityGroups] InstanceSecurityGroups test/a, test/b all govern instance "i-db1"',
    );
  });

  test("accepts one set per instance", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "a", { instanceId: "i-db1", securityGroupIds: ["sg-base"] });
    new InstanceSecurityGroups(stack, "b", { instanceId: "i-db2", securityGroupIds: ["sg-base"] });
    expect(validationErrors(stack)).toBe("");
  });
});
