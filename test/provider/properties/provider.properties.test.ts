import fc from "fast-check";
import { cases, describeCase, faultCases, largeCases, taintedProtectedCases } from "./cases";
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
    let guarded = 0;
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const report = await runCase(c, { maxOrders: 12 });
        seen.push(report.stats);
        // Accepted plans with protected groups: no order run left one.
        if (c.protected.length > 0 && !report.stats.refused && report.stats.changes > 0) guarded++;
        if (report.problems.length > 0) {
          throw new Error(`${report.problems.slice(0, 5).join("\n")}\ncase: ${describeCase(c)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const refused = seen.filter((s) => s.refused).length;
    const faulted = seen.filter((s) => s.faulted).length;
    const orders = seen.reduce((n, s) => n + s.orders, 0);
    const large = seen.filter((s) => s.changes > 8).length;
    const codes = [...new Set(seen.flatMap((s) => s.codes))].sort();
    console.log(
      `provider properties: ${seen.length} cases (${seen.length - refused} accepted, ${refused} refused, ${large} of more than 8 changes), ${faulted} with a fault met mid-apply, ${orders} apply orders run, ${guarded} accepted changes under protected groups; codes seen: ${codes.join(", ")}`,
    );
    // The run covers what it claims to (with the default seed): accepted and refused plans, faults met,
    // protected groups refused and kept (large plans: below).
    if (process.env.ALISG_PROPERTY_SEED) return;
    expect(refused).toBeGreaterThan(RUNS / 10);
    expect(seen.length - refused).toBeGreaterThan(RUNS / 2);
    expect(faulted).toBeGreaterThan(0);
    expect(codes).toContain("ProtectedSecurityGroup");
    expect(guarded).toBeGreaterThan(RUNS / 20);
  });
});

describe("large plans", () => {
  const LARGE = Number(process.env.ALISG_PROPERTY_LARGE_RUNS ?? 25);
  test(`${LARGE} generated large plans (many of more than eight changes)`, async () => {
    const sizes: number[] = [];
    await fc.assert(
      fc.asyncProperty(largeCases, async (c) => {
        const report = await runCase(c, { maxOrders: 12 });
        if (!report.stats.beforeRefused) sizes.push(report.stats.changes);
        if (report.problems.length > 0) {
          throw new Error(`${report.problems.slice(0, 5).join("\n")}\ncase: ${describeCase(c)}`);
        }
      }),
      { seed: SEED, numRuns: LARGE, endOnFailure: true },
    );
    console.log(`large plans: ${sizes.length} cases, ${Math.min(...sizes)} to ${Math.max(...sizes)} changes`);
    expect(sizes.filter((n) => n > 8).length).toBeGreaterThan(sizes.length / 4);
  });
});

describe("failures half-way", () => {
  const FAULTS = Number(process.env.ALISG_PROPERTY_FAULT_RUNS ?? 60);
  test(`${FAULTS} generated applies with a fault in one call, then a retry or a revert`, async () => {
    let met = 0;
    await fc.assert(
      fc.asyncProperty(faultCases, async (c) => {
        const report = await runCase(c, { maxOrders: 8 });
        if (report.stats.faulted) met++;
        if (report.problems.length > 0) {
          throw new Error(`${report.problems.slice(0, 5).join("\n")}\ncase: ${describeCase(c)}`);
        }
      }),
      { seed: SEED, numRuns: FAULTS, endOnFailure: true },
    );
    console.log(`failures half-way: ${FAULTS} cases, ${met} with the apply failed by the fault`);
    if (!process.env.ALISG_PROPERTY_SEED) expect(met).toBeGreaterThan(FAULTS / 8);
  });
});

describe("protected groups where the plan cannot see the Leave", () => {
  test("a tainted attachment of a protected group, moved in the same plan: refused right before the Leave", async () => {
    let refusedAtApply = 0;
    await fc.assert(
      fc.asyncProperty(taintedProtectedCases, async (c) => {
        const report = await runCase(c, { maxOrders: 6 });
        if (report.stats.codes.includes("at apply: ProtectedSecurityGroup")) refusedAtApply++;
        if (report.problems.length > 0) {
          throw new Error(`${report.problems.slice(0, 5).join("\n")}\ncase: ${describeCase(c)}`);
        }
      }),
      { seed: SEED, numRuns: 20, endOnFailure: true },
    );
    if (!process.env.ALISG_PROPERTY_SEED) expect(refusedAtApply).toBeGreaterThan(0);
  });
});
