import { InstanceSecurityGroups, SecurityGroupAttachment } from "../../src";
import { stackWithProvider, synthJson, validationErrors } from "./helpers";

// The module object the CDK calls `execSync` on (an ES namespace import would be a frozen copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = require("child_process") as typeof import("child_process");

/**
 * The synth errors, with the CDK's `terraform version` answered by `version`,
 * and how many times the CDK asked.
 */
function errorsWithTerraform(version: string, run: () => string): { errors: string; asked: number } {
  const real = childProcess.execSync;
  let asked = 0;
  const spy = jest.spyOn(childProcess, "execSync").mockImplementation(((
    command: string,
    options?: object,
  ) => {
    if (!/^\S*terraform version$/.test(command)) return real(command, options);
    asked += 1;
    return Buffer.from(`Terraform v${version}\non linux_amd64\n`);
  }) as typeof childProcess.execSync);
  try {
    return { errors: run(), asked };
  } finally {
    spy.mockRestore();
  }
}

describe("importFrom on the alisg constructs", () => {
  test("writes the import blocks, as the CDK does", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", { instanceId: "i-1", securityGroupId: "sg-web" }).importFrom(
      "i-1:sg-web",
    );
    new InstanceSecurityGroups(stack, "db", { instanceId: "i-2", securityGroupIds: ["sg-db"] }).importFrom(
      "i-2",
    );
    expect(synthJson(stack).import).toEqual([
      { id: "i-1:sg-web", to: "alisg_attachment.web" },
      { id: "i-2", to: "alisg_instance_security_groups.db" },
    ]);
  });

  test("checks the Terraform version once per stack, not once per import", () => {
    const stack = stackWithProvider();
    for (let k = 0; k < 3; k++) {
      new SecurityGroupAttachment(stack, `a${k}`, {
        instanceId: `i-${k}`,
        securityGroupId: "sg-1",
      }).importFrom(`i-${k}:sg-1`);
      new InstanceSecurityGroups(stack, `s${k}`, {
        instanceId: `j-${k}`,
        securityGroupIds: ["sg-1"],
      }).importFrom(`j-${k}`);
    }
    // One `terraform version` for the stack; a Terraform older than 1.5 is still refused, once.
    const old = errorsWithTerraform("1.4.7", () => validationErrors(stack));
    expect(old.asked).toBe(1);
    expect(
      old.errors.match(/terraform version 1\.4\.7 is lower than the required version >=1\.5/g),
    ).toHaveLength(1);
    expect(errorsWithTerraform("1.11.4", () => validationErrors(stack))).toEqual({ errors: "", asked: 1 });
  });

  test("resources without an import add no check", () => {
    const stack = stackWithProvider();
    new SecurityGroupAttachment(stack, "web", { instanceId: "i-1", securityGroupId: "sg-web" });
    expect(errorsWithTerraform("1.4.7", () => validationErrors(stack))).toEqual({ errors: "", asked: 0 });
  });
});
