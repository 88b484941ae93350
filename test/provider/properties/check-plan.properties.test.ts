import fc from "fast-check";
import { alicloudUpdates, cases, describeCase } from "./cases";
import { runGateCase } from "./run-case";

/**
 * `alisg check-plan` held to the provider's cases, through input in the shape
 * of `terraform show -json`, with `alicloud_instance` updates of
 * security_groups beside the alisg resources (see runGateCase).
 */
jest.setTimeout(600_000);

const SEED = Number(process.env.ALISG_PROPERTY_SEED ?? 20261201);
const RUNS = Number(process.env.ALISG_PROPERTY_RUNS ?? 120);

describe("alisg check-plan keeps the provider's promise on the same cases", () => {
  test(`${RUNS} generated plans, with alicloud_instance updates`, async () => {
    let refused = 0;
    let alicloud = 0;
    let protectedRefusals = 0;
    await fc.assert(
      fc.asyncProperty(cases, alicloudUpdates, async (c, updates) => {
        const report = await runGateCase(c, updates, { maxOrders: 10 });
        if (report.stats.refused) refused++;
        if (updates.length > 0) alicloud++;
        if (report.stats.codes.includes("ProtectedSecurityGroup")) protectedRefusals++;
        if (report.problems.length > 0) {
          throw new Error(
            `${report.problems.slice(0, 5).join("\n")}\ncase: ${describeCase(c)}\nalicloud: ${JSON.stringify(updates)}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(refused).toBeGreaterThan(0);
    expect(alicloud).toBeGreaterThan(0);
    if (!process.env.ALISG_PROPERTY_SEED) expect(protectedRefusals).toBeGreaterThan(0);
  });
});
