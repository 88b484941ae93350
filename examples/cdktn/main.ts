/**
 * examples/basic on CDK Terrain (cdktn): the same stack, the same resources
 * and settings; only the imports differ (`cdktn`, and the library's `/cdktn`
 * entry point). See README.md here for how to run it.
 */
import { Construct } from "constructs";
import { App, TerraformStack } from "cdktn";
import {
  AlisgProvider,
  InstanceSecurityGroups,
  SecurityGroupAttachment,
} from "cdktf-alicloud-sg-attachment/cdktn";

/** The emulator's address and demo keys (`alisg emulator --seed examples/demo-seed.json`) unless the environment says otherwise. */
function providerSettings(env: NodeJS.ProcessEnv = process.env) {
  // With keys in the environment the provider reads them at plan time: they never land in cdk.tf.json.
  const keysFromEnv = Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALICLOUD_ACCESS_KEY);
  return {
    endpoint: env.ALIBABA_CLOUD_ECS_ENDPOINT || "http://127.0.0.1:4599",
    region: env.ALIBABA_CLOUD_REGION_ID || env.ALIBABA_CLOUD_REGION || env.ALICLOUD_REGION || "cn-hangzhou",
    accessKey: keysFromEnv ? undefined : "test",
    secretKey: keysFromEnv ? undefined : "test",
  };
}

export class BasicStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AlisgProvider(this, "alisg", { ...providerSettings(), maxRetries: 3 });

    // i-web1 is only in sg-base: the first attachment adopts it, the second joins sg-web.
    new SecurityGroupAttachment(this, "web1-base", { instanceId: "i-web1", securityGroupId: "sg-base" });
    new SecurityGroupAttachment(this, "web1-web", { instanceId: "i-web1", securityGroupId: "sg-web" });
    // i-web2 is already in sg-web: adopted; removing this block later only forgets it.
    new SecurityGroupAttachment(this, "web2-web", {
      instanceId: "i-web2",
      securityGroupId: "sg-web",
      retainOnDelete: true,
    });
    // i-db1's groups, authoritatively: exactly sg-base and sg-db.
    new InstanceSecurityGroups(this, "db1", { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] });
  }
}

const app = new App();
new BasicStack(app, "basic");
app.synth();
