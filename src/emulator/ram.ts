/**
 * RAM in miniature: an access key's `allowedActions` decide which actions it
 * may call. A refusal is what ECS answers since 2025-12-20, Describe* calls
 * included: HTTP 403 `Forbidden.RAM` with an `AccessDeniedDetail` naming the
 * RAM action (`ecs:DescribeInstances`).
 */
import { ApiError } from "./api-error";
import type { AccessKey } from "./state";

export const FORBIDDEN_RAM_MESSAGE =
  "User not authorized to operate on the specified resource, or this API doesn't support RAM.";

/** Whether `pattern` (`Describe*`, `ecs:JoinSecurityGroup`, `*`) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const bare = pattern.replace(/^ecs:/, "");
  const regex = new RegExp(`^${bare.split("*").map(escapeRegex).join(".*")}$`);
  return regex.test(action);
}

/** The refusal for `key` calling `action`, or null when its policy allows it (absent = all). */
export function authorize(key: AccessKey, action: string): ApiError | null {
  if (key.allowedActions === undefined) return null;
  if (key.allowedActions.some((p) => actionMatches(p, action))) return null;
  return new ApiError(403, "Forbidden.RAM", FORBIDDEN_RAM_MESSAGE, {
    AccessDeniedDetail: {
      PolicyType: "AccountLevelIdentityBasedPolicy",
      AuthPrincipalType: "SubUser",
      // The emulator has no user names: the access key stands for its RAM user.
      AuthPrincipalDisplayName: key.accessKeyId,
      NoPermissionType: "ImplicitDeny",
      AuthAction: `ecs:${action}`,
    },
  });
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
