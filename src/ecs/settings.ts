/**
 * Where each ECS connection setting comes from, decided once for the provider
 * and the GitOps commands (DESIGN.md, "Provider configuration"): a value given
 * explicitly (provider block, command-line option), else the first of these
 * environment variables that is set and not empty.
 */
export const SETTING_ENV = {
  region: ["ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"],
  accessKeyId: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
  accessKeySecret: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
  securityToken: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
  profile: ["ALIBABA_CLOUD_PROFILE"],
  endpoint: ["ALIBABA_CLOUD_ECS_ENDPOINT"],
} as const;

export type SettingName = keyof typeof SETTING_ENV;

/** Each setting: the explicit value when it is a non-empty string, else the environment's. */
export function connectionSettings(
  explicit: Partial<Record<SettingName, string | undefined>>,
  env: NodeJS.ProcessEnv,
): Record<SettingName, string | undefined> {
  const pick = (name: SettingName): string | undefined =>
    explicit[name] || SETTING_ENV[name].map((n) => env[n]).find((v) => v !== undefined && v !== "");
  return {
    region: pick("region"),
    accessKeyId: pick("accessKeyId"),
    accessKeySecret: pick("accessKeySecret"),
    securityToken: pick("securityToken"),
    profile: pick("profile"),
    endpoint: pick("endpoint"),
  };
}
