import { unknown } from "../../../src/provider/plugin/types";
import { resolveProviderConfig, validateProviderBlock } from "../../../src/provider/resources/config";

describe("provider configuration", () => {
  test("falls back to the environment for every attribute", () => {
    const { settings, diagnostics } = resolveProviderConfig(
      {},
      {
        ALIBABA_CLOUD_REGION_ID: "cn-shanghai",
        ALIBABA_CLOUD_ACCESS_KEY_ID: "AK",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "SK",
        ALIBABA_CLOUD_SECURITY_TOKEN: "TOKEN",
        ALIBABA_CLOUD_ECS_ENDPOINT: "http://127.0.0.1:4599",
      },
    );
    expect(diagnostics).toEqual([]);
    expect(settings?.client).toMatchObject({
      regionId: "cn-shanghai",
      endpoint: "http://127.0.0.1:4599",
      credentials: { accessKeyId: "AK", accessKeySecret: "SK", securityToken: "TOKEN" },
      maxRetries: 5,
    });
    expect(settings?.maxSecurityGroups).toBe(5);
  });

  test("the block wins over the environment; the older ALICLOUD_ names still work", () => {
    const { settings } = resolveProviderConfig(
      { region: "cn-beijing", max_retries: 2, max_security_groups_per_instance: 10 },
      { ALICLOUD_REGION: "cn-hangzhou", ALICLOUD_ACCESS_KEY: "AK2", ALICLOUD_SECRET_KEY: "SK2" },
    );
    expect(settings?.client.regionId).toBe("cn-beijing");
    expect(settings?.client.credentials).toEqual({ accessKeyId: "AK2", accessKeySecret: "SK2" });
    expect(settings?.client.maxRetries).toBe(2);
    expect(settings?.maxSecurityGroups).toBe(10);
  });

  test("without keys, the profile or the standard credential chain is used", () => {
    const { settings } = resolveProviderConfig({ region: "cn-hangzhou", profile: "ci" }, {});
    expect(settings?.client.credentials).toBeUndefined();
    expect(settings?.client.profile).toBe("ci");
  });

  test.each([
    [{}, "Missing region"],
    [{ region: "cn-hangzhou", access_key: "AK" }, "Incomplete credentials"],
    [{ region: "cn-hangzhou", endpoint: "ftp://127.0.0.1:4599" }, "Invalid endpoint"],
    [{ region: "cn-hangzhou", endpoint: "http://127.0.0.1:4599/ecs" }, "Invalid endpoint"],
    [{ region: "cn-hangzhou", max_retries: -1 }, "Invalid max_retries"],
    [{ region: "cn-hangzhou", max_retries: 101 }, "Invalid max_retries"],
    [
      { region: "cn-hangzhou", max_security_groups_per_instance: 0 },
      "Invalid max_security_groups_per_instance",
    ],
    [{ region: "cn-hangzhou", read_timeout: "5 minutes" }, "Invalid read_timeout"],
    [{ region: "cn-hangzhou", read_timeout: "0s" }, "Invalid read_timeout"],
  ])("refuses %j with %s", (block, summary) => {
    const { settings, diagnostics } = resolveProviderConfig(block, {});
    expect(settings).toBeUndefined();
    expect(diagnostics.map((d) => d.summary)).toContain(summary);
  });

  test("a bare endpoint host means https, as the ECS client reads it", () => {
    const { settings, diagnostics } = resolveProviderConfig(
      { region: "cn-hangzhou", endpoint: "ecs.cn-hangzhou.aliyuncs.com" },
      {},
    );
    expect(diagnostics).toEqual([]);
    expect(settings?.client.endpoint).toBe("ecs.cn-hangzhou.aliyuncs.com");
  });

  test("validate judges the block alone: bad numbers and endpoints, not missing region or keys", () => {
    expect(validateProviderBlock({})).toEqual([]);
    expect(validateProviderBlock({ access_key: "AK" })).toEqual([]);
    expect(validateProviderBlock({ max_retries: 1.5, endpoint: "ftp://x" }).map((d) => d.summary)).toEqual([
      "Invalid max_retries",
      "Invalid endpoint",
    ]);
  });

  test("validate names the attribute of an out-of-range number", () => {
    const [limit] = validateProviderBlock({ max_security_groups_per_instance: 0 });
    expect(limit).toMatchObject({ attribute: ["max_security_groups_per_instance"] });
    expect(limit.detail).toBe(
      "max_security_groups_per_instance must be a whole number from 1 to 1000, not 0.",
    );
    const [retries] = validateProviderBlock({ max_retries: 1000 });
    expect(retries).toMatchObject({ summary: "Invalid max_retries", attribute: ["max_retries"] });
  });

  test("read_timeout becomes the client's default deadline (5m when unset)", () => {
    const env = { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" };
    expect(resolveProviderConfig({}, env).settings?.client.defaultTimeoutMs).toBe(300_000);
    expect(resolveProviderConfig({ read_timeout: "1m30s" }, env).settings?.client.defaultTimeoutMs).toBe(
      90_000,
    );
  });

  test("ALISG_RETRY_SCALE scales the backoff delays, and is refused outside (0, 1]", () => {
    const scaled = resolveProviderConfig({ region: "r" }, { ALISG_RETRY_SCALE: "0.1" }).settings?.client;
    expect(scaled).toMatchObject({ retryBaseDelayMs: 20, retryMaxDelayMs: 2000 });
    const { settings } = resolveProviderConfig({ region: "r" }, {});
    expect(settings?.client.retryMaxDelayMs).toBeUndefined();
    expect(
      resolveProviderConfig({ region: "r" }, { ALISG_RETRY_SCALE: "2" }).diagnostics.map((d) => d.summary),
    ).toEqual(["Invalid ALISG_RETRY_SCALE"]);
  });

  test("never puts a secret in a diagnostic", () => {
    const { diagnostics } = resolveProviderConfig({ secret_key: "s3cr3t-value" }, {});
    expect(JSON.stringify(diagnostics)).not.toContain("s3cr3t-value");
  });

  describe("protected_security_group_ids", () => {
    const env = { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" };

    test("protects nothing when neither the block nor the environment names a group", () => {
      expect(resolveProviderConfig({}, env).settings?.protectedSecurityGroupIds).toEqual([]);
    });

    test("falls back to ALISG_PROTECTED_SECURITY_GROUP_IDS, comma-separated, spaces and empty items dropped", () => {
      const { settings, diagnostics } = resolveProviderConfig(
        {},
        { ...env, ALISG_PROTECTED_SECURITY_GROUP_IDS: " sg-base, sg-bastion,,sg-base " },
      );
      expect(diagnostics).toEqual([]);
      expect(settings?.protectedSecurityGroupIds).toEqual(["sg-base", "sg-bastion"]);
    });

    test("the block wins over the environment, an empty list included", () => {
      const withEnv = { ...env, ALISG_PROTECTED_SECURITY_GROUP_IDS: "sg-env" };
      expect(
        resolveProviderConfig({ protected_security_group_ids: ["sg-base"] }, withEnv).settings
          ?.protectedSecurityGroupIds,
      ).toEqual(["sg-base"]);
      expect(
        resolveProviderConfig({ protected_security_group_ids: [] }, withEnv).settings
          ?.protectedSecurityGroupIds,
      ).toEqual([]);
    });

    test("refuses a malformed ID, naming where it came from", () => {
      const inBlock = validateProviderBlock({ protected_security_group_ids: ["sg-base", "sg bad"] });
      expect(inBlock).toEqual([
        expect.objectContaining({
          summary: "Invalid protected_security_group_ids",
          attribute: ["protected_security_group_ids"],
        }),
      ]);
      expect(inBlock[0].detail).toContain('"sg bad": it contains whitespace');
      const fromEnv = resolveProviderConfig({}, { ...env, ALISG_PROTECTED_SECURITY_GROUP_IDS: "sg-a;sg-b" });
      expect(fromEnv.settings).toBeUndefined();
      expect(fromEnv.diagnostics.map((d) => d.summary)).toEqual([
        "Invalid ALISG_PROTECTED_SECURITY_GROUP_IDS",
      ]);
    });

    test("must be known when the provider is configured (validation lets an unknown value through)", () => {
      expect(validateProviderBlock({ protected_security_group_ids: unknown })).toEqual([]);
      for (const value of [unknown, ["sg-base", unknown]]) {
        const { settings, diagnostics } = resolveProviderConfig({ protected_security_group_ids: value }, env);
        expect(settings).toBeUndefined();
        expect(diagnostics.map((d) => d.summary)).toEqual(["Unknown protected_security_group_ids"]);
      }
    });
  });
});
