import { GitopsInputError, planProviderSettings, readPlan } from "../../src/gitops";
import { planDoc } from "./plans";

/** A plan whose configuration has these provider configurations (as `terraform show -json` writes them). */
function planWith(providerConfig: Record<string, object>, source = "p.json") {
  const doc = JSON.parse(planDoc([])) as Record<string, unknown>;
  return readPlan(
    JSON.stringify({ ...doc, configuration: { provider_config: providerConfig, root_module: {} } }),
    source,
  );
}

const alisg = (expressions: object, extra: object = {}) => ({
  name: "alisg",
  full_name: "registry.terraform.io/alisg/alisg",
  expressions,
  ...extra,
});

describe("the alisg provider blocks of a plan's configuration", () => {
  test("literals, expressions and unset attributes are told apart; other providers are not read", () => {
    const plan = planWith({
      alisg: alisg({
        region: { constant_value: "cn-hangzhou" },
        max_security_groups_per_instance: { constant_value: 20 },
      }),
      "alisg.west": alisg(
        {
          // JSON syntax: a template's text is its constant_value, beside its references.
          max_security_groups_per_instance: { constant_value: "${var.limit}", references: ["var.limit"] },
          protected_security_group_ids: { constant_value: ["sg-base", "sg-ops"] },
        },
        { alias: "west" },
      ),
      "module.net:alisg": alisg(
        { protected_security_group_ids: { references: ["local.baseline"] } },
        { module_address: "module.net" },
      ),
      // OpenTofu's registry host names the same provider; JSON syntax may write a number as a string.
      "alisg.tofu": alisg(
        { max_security_groups_per_instance: { constant_value: "8" } },
        { full_name: "registry.opentofu.org/alisg/alisg" },
      ),
      alicloud: {
        name: "alicloud",
        full_name: "registry.terraform.io/aliyun/alicloud",
        expressions: { max_security_groups_per_instance: { constant_value: 1 } },
      },
    });
    expect(plan.alisgProviders).toEqual([
      { key: "alisg", maxSecurityGroupsPerInstance: 20 },
      {
        key: "alisg.west",
        maxSecurityGroupsPerInstance: "expression",
        protectedSecurityGroupIds: ["sg-base", "sg-ops"],
      },
      { key: "module.net:alisg", protectedSecurityGroupIds: "expression" },
      { key: "alisg.tofu", maxSecurityGroupsPerInstance: 8 },
    ]);
  });

  test("a plan without a configuration section, or without provider_config, names no block", () => {
    expect(
      readPlan(JSON.stringify({ format_version: "1.2", resource_changes: [] }), "p").alisgProviders,
    ).toEqual([]);
    expect(planWith({}).alisgProviders).toEqual([]);
  });

  test("an explicit null is unset; a literal of the wrong type is an input error naming the block", () => {
    expect(
      planWith({ alisg: alisg({ max_security_groups_per_instance: { constant_value: null } }) })
        .alisgProviders,
    ).toEqual([{ key: "alisg" }]);
    expect(() =>
      planWith({ alisg: alisg({ max_security_groups_per_instance: { constant_value: 0 } }) }, "s.json"),
    ).toThrow(
      new GitopsInputError(
        "s.json: provider alisg: max_security_groups_per_instance is not a whole number >= 1",
      ),
    );
    expect(() =>
      planWith({ alisg: alisg({ protected_security_group_ids: { constant_value: "sg-a" } }) }, "s.json"),
    ).toThrow(
      new GitopsInputError("s.json: provider alisg: protected_security_group_ids is not a list of strings"),
    );
  });
});

describe("the settings check-plan takes from the plans", () => {
  test("the smallest literal limit of all plans; none when no block sets one", () => {
    const a = planWith(
      { alisg: alisg({ max_security_groups_per_instance: { constant_value: 20 } }) },
      "a.json",
    );
    const b = planWith(
      { alisg: alisg({ max_security_groups_per_instance: { constant_value: 12 } }) },
      "b.json",
    );
    const none = planWith({ alisg: alisg({}) }, "c.json");
    expect(planProviderSettings([a, b, none], []).maxSecurityGroups).toBe(12);
    expect(planProviderSettings([none], []).maxSecurityGroups).toBeUndefined();
    expect(planProviderSettings([], []).maxSecurityGroups).toBeUndefined();
  });

  test("protected groups: each block's list, the fallback for a block that sets none, and for plans naming no block", () => {
    const listing = planWith(
      { alisg: alisg({ protected_security_group_ids: { constant_value: ["sg-base"] } }) },
      "a.json",
    );
    const unset = planWith({ alisg: alisg({}) }, "b.json");
    const noBlock = planWith({}, "c.json");
    expect(planProviderSettings([listing], ["sg-env"]).protectedSecurityGroupIds).toEqual(["sg-base"]);
    expect(planProviderSettings([listing, unset], ["sg-env"]).protectedSecurityGroupIds).toEqual([
      "sg-base",
      "sg-env",
    ]);
    expect(planProviderSettings([noBlock], ["sg-env"]).protectedSecurityGroupIds).toEqual(["sg-env"]);
    expect(planProviderSettings([listing, noBlock], ["sg-env"]).protectedSecurityGroupIds).toEqual([
      "sg-base",
    ]);
    // An empty list is a list: the block protects nothing, and its provider ignores the variable.
    const empty = planWith({ alisg: alisg({ protected_security_group_ids: { constant_value: [] } }) });
    expect(planProviderSettings([empty], ["sg-env"]).protectedSecurityGroupIds).toEqual([]);
  });

  test("values written as expressions are listed with where they are, and add nothing", () => {
    const plan = planWith(
      {
        alisg: alisg({
          max_security_groups_per_instance: { references: ["var.limit"] },
          protected_security_group_ids: { references: ["var.baseline"] },
        }),
      },
      "a.json",
    );
    expect(planProviderSettings([plan], ["sg-env"])).toEqual({
      protectedSecurityGroupIds: [],
      unread: [
        { where: "a.json: provider alisg", attribute: "max_security_groups_per_instance" },
        { where: "a.json: provider alisg", attribute: "protected_security_group_ids" },
      ],
    });
  });
});
