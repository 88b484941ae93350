import fc from "fast-check";
import { alicloudUpdates, cases, describeCase, eniCases, eniKindsOf } from "./cases";
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

describe("alisg check-plan keeps it on ENI subjects", () => {
  const ENI_RUNS = Number(process.env.ALISG_PROPERTY_ENI_RUNS ?? 100);
  test(`${ENI_RUNS} generated plans over ENIs (secondary ENIs, an instance with its primary ENI), with alicloud_instance updates`, async () => {
    const tally = [0, 0];
    let primary = 0;
    await fc.assert(
      fc.asyncProperty(eniCases, alicloudUpdates, async (c, updates) => {
        const report = await runGateCase(c, updates, { maxOrders: 10 });
        if (!report.stats.beforeRefused) tally[report.stats.refused ? 1 : 0]++;
        if (!report.stats.beforeRefused && eniKindsOf(c).primaryWithInstance) primary++;
        if (report.problems.length > 0) {
          throw new Error(
            `${report.problems.slice(0, 5).join("\n")}\ncase: ${describeCase(c)}\nalicloud: ${JSON.stringify(updates)}`,
          );
        }
      }),
      { seed: SEED, numRuns: ENI_RUNS, endOnFailure: true },
    );
    console.log(
      `check-plan over ENIs: ${ENI_RUNS} cases, ${tally[0]} accepted, ${tally[1]} refused, ${primary} judged with an instance and its primary ENI in one plan`,
    );
    if (process.env.ALISG_PROPERTY_SEED) return;
    expect(tally[0]).toBeGreaterThan(ENI_RUNS / 10);
    expect(tally[1]).toBeGreaterThan(ENI_RUNS / 10);
    expect(primary).toBeGreaterThan(ENI_RUNS / 10);
  });
});
