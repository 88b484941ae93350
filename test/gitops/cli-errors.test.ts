import { EcsError } from "../../src/ecs";
import { Command } from "commander";
import {
  addGitopsOptions,
  describeError,
  ecsReaderFrom,
  policyFrom,
  type GitopsOptions,
} from "../../src/cli/gitops-options";
import { ecsSettings, GitopsInputError } from "../../src/gitops";

const options: GitopsOptions = {
  format: "text",
  maxSecurityGroupsPerInstance: 5,
  protectedSecurityGroupId: [],
};

describe("GitOps command errors", () => {
  test("Forbidden.RAM names the RAM action to grant", () => {
    const err = new EcsError({
      code: "Forbidden.RAM",
      apiMessage: "User not authorized to operate on the specified resource.",
      action: "DescribeSecurityGroups",
      requestId: "req-1",
      httpStatus: 403,
      attempts: 1,
    });
    expect(describeError(err)).toMatch(
      /^Forbidden\.RAM: these credentials may not call ecs:DescribeSecurityGroups\. .*request req-1.*alisg check-plan, drift and adopt need only ecs:DescribeInstances and ecs:DescribeSecurityGroups\.$/,
    );
  });

  test("region and endpoint come from the options or the provider's environment variables", () => {
    expect(() => ecsReaderFrom(options, {})).toThrow(/Missing region/);
    expect(() => ecsReaderFrom({ ...options, region: "cn-hangzhou", endpoint: "ftp://x" }, {})).toThrow(
      /Invalid ECS endpoint "ftp:\/\/x"/,
    );
    expect(() => ecsReaderFrom(options, { ALICLOUD_REGION: "cn-hangzhou" })).not.toThrow();
    expect(() =>
      ecsReaderFrom(options, { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou", ALIBABA_CLOUD_ACCESS_KEY_ID: "k" }),
    ).toThrow(GitopsInputError);
  });

  test("options win over the environment; the provider's variable names are read, secrets kept out of messages", () => {
    expect(
      ecsSettings(
        { region: "cn-shanghai", endpoint: "http://127.0.0.1:1" },
        {
          ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
          ALIBABA_CLOUD_ECS_ENDPOINT: "http://127.0.0.1:2",
          ALICLOUD_ACCESS_KEY: "ak",
          ALICLOUD_SECRET_KEY: "sk",
          ALICLOUD_SECURITY_TOKEN: "tok",
        },
      ),
    ).toEqual({
      regionId: "cn-shanghai",
      endpoint: "http://127.0.0.1:1",
      credentials: { accessKeyId: "ak", accessKeySecret: "sk", securityToken: "tok" },
    });
    expect(ecsSettings({}, { ALIBABA_CLOUD_REGION: "cn-beijing", ALIBABA_CLOUD_PROFILE: "ci" })).toEqual({
      regionId: "cn-beijing",
      profile: "ci",
    });
    expect(() => ecsSettings({}, { ALICLOUD_REGION: "x", ALICLOUD_SECRET_KEY: "hush-123" })).toThrow(
      /^Incomplete credentials: a secret is set but no access key ID/,
    );
    try {
      ecsSettings({}, { ALICLOUD_REGION: "x", ALICLOUD_SECRET_KEY: "hush-123" });
    } catch (err) {
      expect(String(err)).not.toContain("hush-123");
    }
  });

  describe("--protected-security-group-id", () => {
    const parsed = (...args: string[]) =>
      addGitopsOptions(new Command("check-plan").exitOverride().configureOutput({ writeErr: () => {} }))
        .parse(args, { from: "user" })
        .opts<GitopsOptions>();

    test("is repeatable, and wins over ALISG_PROTECTED_SECURITY_GROUP_IDS", () => {
      const opts = parsed(
        "--protected-security-group-id",
        "sg-base",
        "--protected-security-group-id",
        "sg-ops",
      );
      expect(opts.protectedSecurityGroupId).toEqual(["sg-base", "sg-ops"]);
      expect(policyFrom(opts, { ALISG_PROTECTED_SECURITY_GROUP_IDS: "sg-env" })).toEqual({
        protectedSecurityGroupIds: ["sg-base", "sg-ops"],
      });
    });

    test("without the flag, the provider's environment variable is read; with neither, nothing is protected", () => {
      const opts = parsed();
      expect(opts.protectedSecurityGroupId).toEqual([]);
      expect(policyFrom(opts, { ALISG_PROTECTED_SECURITY_GROUP_IDS: "sg-a, sg-b" })).toEqual({
        protectedSecurityGroupIds: ["sg-a", "sg-b"],
      });
      expect(policyFrom(opts, {})).toEqual({ protectedSecurityGroupIds: [] });
    });

    test("a malformed ID is an input error, in the flag or in the environment", () => {
      expect(() => parsed("--protected-security-group-id", "sg a")).toThrow(
        /"sg a" is not a security group ID/,
      );
      expect(() => policyFrom(parsed(), { ALISG_PROTECTED_SECURITY_GROUP_IDS: "sg-a;sg-b" })).toThrow(
        GitopsInputError,
      );
    });
  });
});
