import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AlisgProvider, SecurityGroupAttachment } from "../../src";
import { packageVersion } from "../../src/version";
import { synthJson } from "./helpers";

describe("AlisgProvider", () => {
  test("requires alisg/alisg fully qualified (one address for Terraform and OpenTofu) at the package version", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AlisgProvider(stack, "alisg");
    expect(synthJson(stack).terraform.required_providers).toEqual({
      alisg: { source: "registry.terraform.io/alisg/alisg", version: packageVersion() },
    });
  });

  test("synthesizes every setting in snake_case", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AlisgProvider(stack, "alisg", {
      region: "cn-hangzhou",
      accessKey: "AK",
      secretKey: "SK",
      securityToken: "STS",
      profile: "default",
      endpoint: "http://127.0.0.1:4599",
      maxRetries: 2,
      readTimeout: "90s",
      maxSecurityGroupsPerInstance: 10,
      protectedSecurityGroupIds: ["sg-base", "sg-bastion"],
    });
    expect(synthJson(stack).provider.alisg).toEqual([
      {
        region: "cn-hangzhou",
        access_key: "AK",
        secret_key: "SK",
        security_token: "STS",
        profile: "default",
        endpoint: "http://127.0.0.1:4599",
        max_retries: 2,
        read_timeout: "90s",
        max_security_groups_per_instance: 10,
        protected_security_group_ids: ["sg-base", "sg-bastion"],
      },
    ]);
  });

  test("an empty protected list is kept: it protects nothing, whatever the environment says", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AlisgProvider(stack, "alisg", { protectedSecurityGroupIds: [] });
    expect(synthJson(stack).provider.alisg).toEqual([{ protected_security_group_ids: [] }]);
  });

  test("leaves unset settings out so the provider reads the environment", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AlisgProvider(stack, "alisg");
    expect(synthJson(stack).provider.alisg).toEqual([{}]);
  });

  test("an alias gives a second configuration that resources can select", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AlisgProvider(stack, "alisg", { region: "cn-hangzhou" });
    const beijing = new AlisgProvider(stack, "beijing", { region: "cn-beijing", alias: "bj" });
    new SecurityGroupAttachment(stack, "web", {
      instanceId: "i-1",
      securityGroupId: "sg-1",
      provider: beijing,
    });
    const json = synthJson(stack);
    expect(json.provider.alisg).toEqual([{ region: "cn-hangzhou" }, { region: "cn-beijing", alias: "bj" }]);
    expect(json.resource.alisg_attachment.web.provider).toBe("alisg.bj");
  });

  test("passes tokens through untouched", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const endpoint = new TerraformVariable(stack, "endpoint", { type: "string" });
    new AlisgProvider(stack, "alisg", { endpoint: endpoint.stringValue });
    expect(synthJson(stack).provider.alisg[0].endpoint).toBe("${var.endpoint}");
  });

  test("HCL output carries the same settings", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AlisgProvider(stack, "alisg", {
      region: "cn-hangzhou",
      maxRetries: 2,
      protectedSecurityGroupIds: ["sg-base"],
    });
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toMatch(/region\s*=\s*"cn-hangzhou"/);
    expect(hcl).toMatch(/max_retries\s*=\s*2/);
    expect(hcl).toMatch(/protected_security_group_ids\s*=\s*\[\s*"sg-base"\s*\]/);
  });
});
