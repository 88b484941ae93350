import type { EmulatorSeed } from "../../src/emulator/server";

export const ACCESS_KEY_ID = "emu-key";
export const ACCESS_KEY_SECRET = "emu-secret-7Hq";

/** A small world with one instance for each rule the emulator enforces. */
export function world(): EmulatorSeed {
  const group = (securityGroupId: string, vpcId = "vpc-main", type: "normal" | "enterprise" = "normal") => ({
    securityGroupId,
    vpcId,
    type,
  });
  const instance = (instanceId: string, securityGroupIds: string[], extra: object = {}) => ({
    instanceId,
    vpcId: "vpc-main",
    status: "Running" as const,
    securityGroupIds,
    lockReasons: [],
    ...extra,
  });
  return {
    regionId: "cn-hangzhou",
    accessKeys: [{ accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET }],
    maxSecurityGroupsPerInstance: 5,
    securityGroups: [
      group("sg-base"),
      group("sg-web"),
      group("sg-db"),
      group("sg-g4"),
      group("sg-g5"),
      group("sg-g6"),
      group("sg-ops", "vpc-main", "enterprise"),
      group("sg-ops2", "vpc-main", "enterprise"),
      group("sg-other", "vpc-other"),
    ],
    instances: [
      instance("i-run", ["sg-base", "sg-web"]),
      instance("i-stopped", ["sg-base", "sg-web"], { status: "Stopped" }),
      instance("i-single", ["sg-base"]),
      instance("i-pending", ["sg-base", "sg-web"], { status: "Pending" }),
      instance("i-starting", ["sg-base", "sg-web"], { status: "Starting" }),
      instance("i-stopping", ["sg-base", "sg-web"], { status: "Stopping" }),
      instance("i-locked", ["sg-base", "sg-web"], { lockReasons: ["security"] }),
      instance("i-financial", ["sg-base", "sg-web"], { lockReasons: ["financial"] }),
      instance("i-full", ["sg-base", "sg-web", "sg-db", "sg-g4", "sg-g5"]),
      instance("i-ent", ["sg-ops"]),
    ],
  };
}
