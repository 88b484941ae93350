import { TerraformVariable } from "cdktf";
import {
  InstanceSecurityGroups,
  NetworkInterfaceSecurityGroupAttachment,
  NetworkInterfaceSecurityGroups,
  SecurityGroupAttachment,
} from "../../../src";
import { stackWithProvider, validationErrors } from "../helpers";

describe("[alisg:MalformedInstanceId] / [alisg:MalformedSecurityGroupId]", () => {
  test.each([
    [
      "an empty instance ID",
      { instanceId: "", securityGroupId: "sg-web" },
      "MalformedInstanceId",
      "it is empty",
    ],
    [
      "an instance ID with a space",
      { instanceId: "i web1", securityGroupId: "sg-web" },
      "MalformedInstanceId",
      "whitespace",
    ],
    [
      "a group ID with odd characters",
      { instanceId: "i-web1", securityGroupId: "sg;web" },
      "MalformedSecurityGroupId",
      "letters, digits",
    ],
  ])("refuses %s", (_case, props, code, why) => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", props);
    const errors = validationErrors(stack);
    expect(errors).toContain(`[alisg:${code}] SecurityGroupAttachment test/web:`);
    expect(errors).toContain(why);
  });

  test("refuses a malformed group in an InstanceSecurityGroups", () => {
    const stack = stackWithProvider();
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg db"] });
    expect(validationErrors(stack)).toContain(
      `[alisg:MalformedSecurityGroupId] InstanceSecurityGroups test/db: security group ID "sg db"`,
    );
  });

  test("accepts well-formed IDs and leaves tokens to apply time", () => {
    const stack = stackWithProvider();
    const group = new TerraformVariable(stack, "group", { type: "string" });
    new SecurityGroupAttachment(stack, "web", {
      instanceId: "i-bp1a2b3c4d",
      securityGroupId: group.stringValue,
    });
    new InstanceSecurityGroups(stack, "db", {
      instanceId: "i-db1",
      securityGroupIds: ["sg-base", "sg_db-2"],
    });
    expect(validationErrors(stack)).toBe("");
  });

  test.each([
    ["an empty ENI ID", ""],
    ["an ENI ID with a space", "eni web1"],
    ["an ENI ID with a colon", "eni:1"],
  ])("refuses %s with [alisg:MalformedNetworkInterfaceId], on both ENI constructs", (_case, id) => {
    const stack = stackWithProvider();
    new NetworkInterfaceSecurityGroupAttachment(stack, "one", {
      networkInterfaceId: id,
      securityGroupId: "sg-web",
    });
    new NetworkInterfaceSecurityGroups(stack, "set", {
      networkInterfaceId: id,
      securityGroupIds: ["sg-web"],
    });
    const errors = validationErrors(stack);
    expect(errors).toContain(
      `[alisg:MalformedNetworkInterfaceId] NetworkInterfaceSecurityGroupAttachment test/one: network interface ID "${id}" is malformed`,
    );
    expect(errors).toContain(`[alisg:MalformedNetworkInterfaceId] NetworkInterfaceSecurityGroups test/set:`);
    expect(errors).toContain('e.g. "eni-bp1a2b3c4d"');
    expect(errors).not.toContain("MalformedInstanceId");
  });
});
