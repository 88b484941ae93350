import { Construct } from "constructs";
import {
  TerraformProvider,
  listMapper,
  listMapperHcl,
  numberToHclTerraform,
  numberToTerraform,
  stringToHclTerraform,
  stringToTerraform,
} from "cdktf";
import { PROVIDER_ADDRESS, PROVIDER_TYPE, providerVersion } from "../provider/distribution";
import { hclAttributes } from "./hcl";
import { placeProviderOnSynth } from "./provider-placement";
import { ensureStackValidation } from "./validation/stack-validation";

/**
 * Configuration of the `alisg` provider. Every field is optional: the provider
 * falls back to the environment (the variables named below), then to the
 * standard Alibaba Cloud credential chain.
 */
export interface AlisgProviderProps {
  /**
   * Region ID, e.g. `cn-hangzhou`. Required one way or the other.
   *
   * @default - env `ALIBABA_CLOUD_REGION_ID`, `ALIBABA_CLOUD_REGION` or `ALICLOUD_REGION`
   */
  readonly region?: string;

  /**
   * AccessKey ID.
   *
   * @default - env `ALIBABA_CLOUD_ACCESS_KEY_ID` or `ALICLOUD_ACCESS_KEY`, then the credential chain
   */
  readonly accessKey?: string;

  /**
   * AccessKey secret. Sensitive: prefer the environment to a literal in code,
   * since a literal ends up in the synthesized `cdk.tf.json`.
   *
   * @default - env `ALIBABA_CLOUD_ACCESS_KEY_SECRET` or `ALICLOUD_SECRET_KEY`, then the credential chain
   */
  readonly secretKey?: string;

  /**
   * STS security token, for temporary credentials. Sensitive.
   *
   * @default - env `ALIBABA_CLOUD_SECURITY_TOKEN` or `ALICLOUD_SECURITY_TOKEN`
   */
  readonly securityToken?: string;

  /**
   * Credential profile name (from `~/.aliyun/config.json`).
   *
   * @default - env `ALIBABA_CLOUD_PROFILE`, then the standard credential chain
   */
  readonly profile?: string;

  /**
   * Full ECS endpoint URL, e.g. `http://127.0.0.1:4599` for the alisg emulator.
   *
   * @default - env `ALIBABA_CLOUD_ECS_ENDPOINT`, else the public ECS endpoint of the region
   */
  readonly endpoint?: string;

  /**
   * How many times one API call is retried after a server error, a conflict or
   * a network fault (0 to 100), with capped exponential backoff. Throttling
   * does not count: it is waited out until the operation's deadline.
   *
   * @default 5
   */
  readonly maxRetries?: number;

  /**
   * How long refreshes, plans and imports wait out retryable errors, as a
   * Terraform duration (`"90s"`, `"5m"`).
   *
   * @default "5m"
   */
  readonly readTimeout?: string;

  /**
   * The per-instance security group limit checked at plan time (your ECS quota).
   *
   * @default 5
   */
  readonly maxSecurityGroupsPerInstance?: number;

  /**
   * Security groups no plan may take away from an instance that has them: a
   * deny-all baseline, a bastion or a monitoring group. A removed attachment,
   * a move away, an `InstanceSecurityGroups` that does not list one are
   * refused at plan time with `ProtectedSecurityGroup`, and re-checked right
   * before each `LeaveSecurityGroup`. Joining them is always allowed. Whoever
   * owns this list (usually the platform team) is the only one who may take a
   * group off it. An empty list protects nothing, even when the environment
   * names groups.
   *
   * @default - env `ALISG_PROTECTED_SECURITY_GROUP_IDS` (comma-separated), else none
   */
  readonly protectedSecurityGroupIds?: string[];

  /**
   * Alias of this provider configuration, to use several (e.g. two regions)
   * in one stack; pass the provider to a resource's `provider` prop.
   *
   * @default - the default `alisg` configuration
   */
  readonly alias?: string;

  /**
   * Whether synth copies the provider bundled with this package into the
   * stack's output directory (`terraform.d/plugins/...`), so that
   * `cdktf plan`/`cdktf deploy` find it with no install step and no network.
   * Set to false when the engine gets `registry.terraform.io/alisg/alisg`
   * from a mirror you configure (e.g. one filled by `alisg install-provider`).
   *
   * @default true
   */
  readonly placeProvider?: boolean;
}

/**
 * The `alisg` Terraform provider (source `alisg/alisg`, written fully qualified
 * as `registry.terraform.io/alisg/alisg` so that Terraform and OpenTofu resolve
 * the same address; version = this package's version). Add one per stack that
 * uses `SecurityGroupAttachment` or `InstanceSecurityGroups`; synth then also
 * places the provider itself next to the stack's Terraform JSON.
 *
 * @example
 * new AlisgProvider(stack, "alisg", { region: "cn-hangzhou" });
 */
export class AlisgProvider extends TerraformProvider {
  /** The provider's local name in Terraform. */
  public static readonly tfResourceType = PROVIDER_TYPE;

  private readonly props: AlisgProviderProps;
  private _alias?: string;

  constructor(scope: Construct, id: string, props: AlisgProviderProps = {}) {
    const version = providerVersion();
    super(scope, id, {
      terraformResourceType: PROVIDER_TYPE,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE, providerVersion: version },
      terraformProviderSource: PROVIDER_ADDRESS,
    });
    this.props = props;
    this._alias = props.alias;
    ensureStackValidation(this);
    if (props.placeProvider !== false) placeProviderOnSynth(this);
  }

  public override get alias(): string | undefined {
    return this._alias;
  }

  public override set alias(value: string | undefined) {
    this._alias = value;
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    const p = this.props;
    return {
      region: stringToTerraform(p.region),
      access_key: stringToTerraform(p.accessKey),
      secret_key: stringToTerraform(p.secretKey),
      security_token: stringToTerraform(p.securityToken),
      profile: stringToTerraform(p.profile),
      endpoint: stringToTerraform(p.endpoint),
      max_retries: numberToTerraform(p.maxRetries),
      read_timeout: stringToTerraform(p.readTimeout),
      max_security_groups_per_instance: numberToTerraform(p.maxSecurityGroupsPerInstance),
      protected_security_group_ids: listMapper(stringToTerraform, false)(p.protectedSecurityGroupIds),
      alias: stringToTerraform(this._alias),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    const p = this.props;
    const str = (value: string | undefined) => ({
      value: stringToHclTerraform(value),
      storageClassType: "string",
    });
    const num = (value: number | undefined) => ({
      value: numberToHclTerraform(value),
      storageClassType: "number",
    });
    return hclAttributes({
      region: str(p.region),
      access_key: str(p.accessKey),
      secret_key: str(p.secretKey),
      security_token: str(p.securityToken),
      profile: str(p.profile),
      endpoint: str(p.endpoint),
      max_retries: num(p.maxRetries),
      read_timeout: str(p.readTimeout),
      max_security_groups_per_instance: num(p.maxSecurityGroupsPerInstance),
      protected_security_group_ids: {
        value: listMapperHcl(stringToHclTerraform, false)(p.protectedSecurityGroupIds),
        storageClassType: "stringList",
        type: "list",
      },
      alias: str(this._alias),
    });
  }
}
