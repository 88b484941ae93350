/**
 * The example app synthesizes cleanly. It imports the library through the
 * package root (compiled dist/), so this NEEDS `npm run build` (run by `npm test`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { BasicStack, settingsFromEnv } from "../../examples/basic/src/main";

interface Seed {
  instances: { instanceId: string }[];
  securityGroups: { securityGroupId: string }[];
}

function synthBasic(env: NodeJS.ProcessEnv = {}): {
  stack: TerraformStack;
  json: ReturnType<typeof JSON.parse>;
} {
  const stack = new BasicStack(Testing.app(), "basic", settingsFromEnv(env));
  return { stack, json: JSON.parse(Testing.synth(stack, true)) };
}

describe("examples/basic", () => {
  test("passes the library's validations and targets the demo emulator by default", () => {
    const { json } = synthBasic();
    expect(json.provider.alisg[0]).toMatchObject({
      endpoint: "http://127.0.0.1:4599",
      region: "cn-hangzhou",
      access_key: "test",
      secret_key: "test",
    });
  });

  test("takes the endpoint, region and keys from the environment, keeping real secrets out of the JSON", () => {
    const { json } = synthBasic({
      ALIBABA_CLOUD_ECS_ENDPOINT: "http://127.0.0.1:5000",
      ALIBABA_CLOUD_REGION_ID: "cn-beijing",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "AK",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "SK",
    });
    expect(json.provider.alisg[0]).toEqual({
      endpoint: "http://127.0.0.1:5000",
      region: "cn-beijing",
      max_retries: 3,
    });
  });

  test("uses only instances and groups of examples/demo-seed.json", () => {
    const seed = JSON.parse(readFileSync(join(__dirname, "../../examples/demo-seed.json"), "utf8")) as Seed;
    const instances = new Set(seed.instances.map((i) => i.instanceId));
    const groups = new Set(seed.securityGroups.map((g) => g.securityGroupId));
    const { json } = synthBasic();
    const resources = [
      ...Object.values(
        json.resource.alisg_attachment as Record<string, { instance_id: string; security_group_id: string }>,
      ).map((a) => ({ instance: a.instance_id, groups: [a.security_group_id] })),
      ...Object.values(
        json.resource.alisg_instance_security_groups as Record<
          string,
          { instance_id: string; security_group_ids: string[] }
        >,
      ).map((s) => ({ instance: s.instance_id, groups: s.security_group_ids })),
    ];
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      expect(instances).toContain(r.instance);
      for (const g of r.groups) expect(groups).toContain(g);
    }
  });
});
