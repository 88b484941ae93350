import { joinSecurityGroup } from "../../src/emulator/actions/join-security-group";
import { leaveSecurityGroup } from "../../src/emulator/actions/leave-security-group";
import { ApiError } from "../../src/emulator/api-error";
import { parseState } from "../../src/emulator/state";
import { world } from "./world";

// The rules are plain functions over plain data: no server needed.
describe("membership rules as pure functions", () => {
  const state = parseState(world());

  test("a join returns a new world and leaves the given one untouched", () => {
    const before = structuredClone(state);
    const result = joinSecurityGroup(state, { InstanceId: "i-run", SecurityGroupId: "sg-db" });
    expect(result.state?.instances.find((i) => i.instanceId === "i-run")?.securityGroupIds).toEqual([
      "sg-base",
      "sg-web",
      "sg-db",
    ]);
    expect(state).toEqual(before);
  });

  test("a leave keeps the order of the remaining groups", () => {
    const result = leaveSecurityGroup(state, { InstanceId: "i-full", SecurityGroupId: "sg-db" });
    expect(result.state?.instances.find((i) => i.instanceId === "i-full")?.securityGroupIds).toEqual([
      "sg-base",
      "sg-web",
      "sg-g4",
      "sg-g5",
    ]);
  });

  test("a refusal is an ApiError with code and HTTP status, and no new world", () => {
    let caught: unknown;
    try {
      leaveSecurityGroup(state, { InstanceId: "i-single", SecurityGroupId: "sg-base" });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect(caught).toMatchObject({ code: "InstanceLastSecurityGroup", httpStatus: 403 });
  });

  test("status is checked before the security lock, and both before membership", () => {
    const locked = parseState({
      ...world(),
      instances: [
        {
          instanceId: "i-x",
          vpcId: "vpc-main",
          status: "Stopping",
          securityGroupIds: ["sg-base"],
          lockReasons: ["security"],
        },
      ],
    });
    expect(() => leaveSecurityGroup(locked, { InstanceId: "i-x", SecurityGroupId: "sg-base" })).toThrow(
      expect.objectContaining({ code: "IncorrectInstanceStatus" }),
    );
    const running = parseState({
      ...world(),
      instances: [
        { instanceId: "i-x", vpcId: "vpc-main", securityGroupIds: ["sg-base"], lockReasons: ["security"] },
      ],
    });
    expect(() => leaveSecurityGroup(running, { InstanceId: "i-x", SecurityGroupId: "sg-base" })).toThrow(
      expect.objectContaining({ code: "InstanceLockedForSecurity" }),
    );
  });
});
