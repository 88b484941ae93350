import type { EmulatorSeed } from "../../src/emulator/server";
import { world } from "./world";

/**
 * `world()` plus network interfaces: a primary and a secondary ENI on i-run,
 * a detached ENI, one ENI for each transitional status, ENIs of a stopping and
 * a locked instance, a full ENI and an enterprise ENI.
 */
export function eniWorld(): EmulatorSeed {
  const base = world();
  const eni = (networkInterfaceId: string, securityGroupIds: string[], extra: object = {}) => ({
    networkInterfaceId,
    instanceId: "i-run",
    type: "Secondary" as const,
    status: "InUse" as const,
    vpcId: "vpc-main",
    securityGroupIds,
    ...extra,
  });
  return {
    ...base,
    networkInterfaces: [
      eni("eni-run-p", ["sg-base", "sg-web"], { type: "Primary" }),
      eni("eni-run-b", ["sg-db"], { vSwitchId: "vsw-b" }),
      eni("eni-free", ["sg-base", "sg-web"], { instanceId: null, status: "Available" }),
      eni("eni-creating", ["sg-base", "sg-web"], { instanceId: null, status: "Creating" }),
      eni("eni-attaching", ["sg-base", "sg-web"], { status: "Attaching" }),
      eni("eni-detaching", ["sg-base", "sg-web"], { status: "Detaching" }),
      eni("eni-deleting", ["sg-base", "sg-web"], { instanceId: null, status: "Deleting" }),
      eni("eni-stopping-b", ["sg-base", "sg-web"], { instanceId: "i-stopping" }),
      eni("eni-locked-b", ["sg-base", "sg-web"], { instanceId: "i-locked" }),
      eni("eni-full", ["sg-base", "sg-web", "sg-db", "sg-g4", "sg-g5"]),
      eni("eni-ent", ["sg-ops"]),
    ],
  };
}
