import fc from "fast-check";
import { cases, describeCase } from "./cases";
import { runCase, type CaseStats } from "./run-case";

/**
 * Safety proven on the provider itself: generated configurations and
 * Terraform operations, driven through the real provider the way Terraform
 * calls it (./terraform-sim.ts), against the emulator's engine, in every
 * order the apply graph allows up to a bound. See ./run-case.ts for what is
 * checked. ALISG_PROPERTY_SEED and ALISG_PROPERTY_RUNS override the seed and
 * the number of cases; fast-check prints the seed and the smallest failing
 * case on failure.
 */
jest.setTimeout(600_000);

const SEED = Number(process.env.ALISG_PROPERTY_SEED ?? 20261201);
const RUNS = Number(process.env.ALISG_PROPERTY_RUNS ?? 150);

describe("the provider keeps its promise in every order Terraform may apply a plan", () => {
  test(`${RUNS} generated cases`, async () => {
    const seen: CaseStats[] = [];
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const report = await runCase(c, { maxOrders: 12 });
        seen.push(report.stats);
        if (report.problems.length > 0) {
          throw new Error(`${report.problems.slice(0, 5).join("\n")}\ncase: ${describeCase(c)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const refused = seen.filter((s) => s.refused).length;
    const faulted = seen.filter((s) => s.faulted).length;
    const orders = seen.reduce((n, s) => n + s.orders, 0);
    console.log(
      `provider properties: ${seen.length} cases, ${refused} refused, ${faulted} with a fault met, ${orders} orders`,
    );
    expect(refused).toBeGreaterThan(0);
    expect(seen.length - refused).toBeGreaterThan(0);
  });
});
