/**
 * The basic example: the alisg provider against the local ECS emulator (or a
 * real account, through the environment), two additive attachments and one
 * authoritative group set, for the instances of examples/demo-seed.json.
 *
 * It imports the library by its package name, as a user's app does. Inside this
 * repository the name resolves to the package itself (Node's self-reference
 * through package.json "exports", hence the compiled dist/: `npm run build`
 * first); the e2e test copies this file unchanged into a fresh app that installs
 * the packed package.
 */
import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";
import { AlisgProvider, InstanceSecurityGroups, SecurityGroupAttachment } from "cdktf-alicloud-sg-attachment";

/** Settings of the example, from the environment; the defaults reach `alisg emulator --seed examples/demo-seed.json`. */
export interface BasicSettings {
  readonly endpoint: string;
  readonly region: string;
  /** Undefined: the provider reads the key from the environment at plan time. */
  readonly accessKey?: string;
  /** Undefined: the provider reads the secret from the environment, so it never lands in cdk.tf.json. */
  readonly secretKey?: string;
  /**
   * Construct IDs of attachments to leave out (ALISG_EXAMPLE_REMOVE, comma-separated), to try
   * removals without editing the code: `ALISG_EXAMPLE_REMOVE=web1-web npx cdktf plan basic`.
   */
  readonly remove?: readonly string[];
}

/** The emulator's address and demo keys unless the environment says otherwise. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): BasicSettings {
  const keysFromEnv = Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALICLOUD_ACCESS_KEY);
  return {
    endpoint: env.ALIBABA_CLOUD_ECS_ENDPOINT || "http://127.0.0.1:4599",
    region: env.ALIBABA_CLOUD_REGION_ID || env.ALIBABA_CLOUD_REGION || env.ALICLOUD_REGION || "cn-hangzhou",
    accessKey: keysFromEnv ? undefined : "test",
    secretKey: keysFromEnv ? undefined : "test",
    remove: (env.ALISG_EXAMPLE_REMOVE ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  };
}

export class BasicStack extends TerraformStack {
  constructor(scope: Construct, id: string, settings: BasicSettings = settingsFromEnv()) {
    super(scope, id);

    const { remove = [], ...provider } = settings;
    const keep = (id: string) => !remove.includes(id);
    new AlisgProvider(this, "alisg", { ...provider, maxRetries: 3 });

    // i-web1 is only in sg-base: the first attachment adopts that membership,
    // the second joins sg-web (JoinSecurityGroup). Removing both at once would
    // leave i-web1 with no group: the provider refuses that at plan time.
    if (keep("web1-base")) {
      new SecurityGroupAttachment(this, "web1-base", { instanceId: "i-web1", securityGroupId: "sg-base" });
    }
    if (keep("web1-web")) {
      new SecurityGroupAttachment(this, "web1-web", { instanceId: "i-web1", securityGroupId: "sg-web" });
    }

    // i-web2 is already in sg-web: the attachment adopts the membership. retainOnDelete:
    // removing this block later only forgets it, the instance stays in sg-web.
    if (keep("web2-web")) {
      new SecurityGroupAttachment(this, "web2-web", {
        instanceId: "i-web2",
        securityGroupId: "sg-web",
        retainOnDelete: true,
      });
    }

    // i-db1's groups, authoritatively: exactly sg-base and sg-db.
    new InstanceSecurityGroups(this, "db1", { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] });
  }
}

if (require.main === module) {
  const app = new App();
  new BasicStack(app, "basic");
  app.synth();
}
