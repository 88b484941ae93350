import { TerraformVariable, Token } from "cdktf";
import { InstanceSecurityGroups } from "../../../src";
import { stackWithProvider, validationErrors } from "../helpers";

describe("[alisg:EmptySecurityGroupIds]", () => {
  test("refuses an InstanceSecurityGroups with no group", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: [] });
    expect(validationErrors(stack)).toContain(
      "[alisg:EmptySecurityGroupIds] InstanceSecurityGroups test/db: securityGroupIds is empty",
    );
  });

  test("accepts one group, and a list only known at apply time", () => {
    const stack = stackWithProvider();
    const groups = new TerraformVariable(stack, "groups", { type: "list(string)" });
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-db"] });
    new InstanceSecurityGroups(stack, "web", {
      instanceId: "i-web1",
      securityGroupIds: Token.asList(groups.value),
    });
    expect(validationErrors(stack)).toBe("");
  });
});
