import { classifyError } from "../../ecs/errors";
import type { EcsErrorCategory } from "../../ecs/types";
import type { Diagnostic } from "../plugin/types";
import type { Finding } from "../../membership";
import type { Note, Refusal } from "../../membership/types";

/** A refusal of the safety rules as Terraform shows it: the summary begins with the code. */
export function refusalDiagnostic(r: Refusal, attribute?: readonly string[]): Diagnostic {
  return { severity: "error", summary: r.summary, detail: r.detail, ...(attribute ? { attribute } : {}) };
}

/** A whole-plan finding as Terraform shows it: the summary begins with the code. */
export function findingDiagnostic(f: Finding): Diagnostic {
  return { severity: f.severity, summary: f.summary, detail: f.detail };
}

/** Notes worth a warning (adopting an existing membership). */
export function noteDiagnostics(notes: readonly Note[]): Diagnostic[] {
  return notes
    .filter((n) => n.kind === "already-member")
    .map((n) => ({
      severity: "warning" as const,
      summary: `Already a member: ${n.instanceId} is already in ${n.securityGroupId}`,
      detail: "The attachment adopts the existing membership; no JoinSecurityGroup call is made.",
    }));
}

/** The client's classification of the failure (errors not from the ECS client are classified by code). */
function categoryOf(err: unknown, code: string): EcsErrorCategory {
  const category = (err as { category?: unknown } | null)?.category;
  return typeof category === "string" ? (category as EcsErrorCategory) : classifyError(code, null, "");
}

interface ApiErrorLike {
  code?: unknown;
  requestId?: unknown;
  attempts?: unknown;
  message?: unknown;
}

/**
 * Failures already shown in full. One failed batched Describe reaches every
 * resource waiting on it; an unreachable endpoint is explained once, and the
 * other resources point to that explanation.
 */
const shown = new WeakSet<object>();

function repeatOfUnreachable(err: unknown): boolean {
  if (typeof err !== "object" || err === null || (err as { category?: unknown }).category !== "unreachable")
    return false;
  if (shown.has(err)) return true;
  shown.add(err);
  return false;
}

/**
 * An API or client failure as an error diagnostic: `<Code>: <message>`, with
 * the request ID and attempt count in the detail. The message comes from the
 * ECS client, which never includes secrets.
 */
export function apiErrorDiagnostic(err: unknown, doing: string): Diagnostic {
  const e = (typeof err === "object" && err !== null ? err : {}) as ApiErrorLike;
  const code = typeof e.code === "string" && e.code !== "" ? e.code : "Error";
  const repeat = repeatOfUnreachable(err);
  const message = repeat
    ? "not attempted: the ECS endpoint is unreachable (one other error of this run says why)"
    : typeof e.message === "string"
      ? e.message
      : String(err);
  const summary = message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
  const facts = repeat
    ? []
    : [
        typeof e.requestId === "string" && e.requestId ? `request ID ${e.requestId}` : undefined,
        typeof e.attempts === "number" ? `${e.attempts} attempt(s)` : undefined,
      ].filter(Boolean);
  return {
    severity: "error",
    summary: summary.split("\n")[0],
    detail: `Failed while ${doing}${facts.length ? ` (${facts.join(", ")})` : ""}. ${nextStep(code, categoryOf(err, code))} Terraform state keeps what is true.`,
  };
}

/** What to do about an API failure: by the ECS client's classification of it, and a few codes of its own. */
function nextStep(code: string, category: EcsErrorCategory): string {
  if (
    /^(SignatureDoesNotMatch|InvalidAccessKeyId|InvalidAccessKeySecret|IncompleteSignature|InvalidSecurityToken|InvalidCredentials)/.test(
      code,
    )
  ) {
    return "Check the provider's access_key and secret_key (or security_token, profile, ALIBABA_CLOUD_* variables): ECS did not accept them.";
  }
  if (code === "InvalidTimeStamp.Expired")
    return "Check this machine's clock: ECS refuses requests signed more than a few minutes off.";
  if (category === "forbidden")
    return "Grant the RAM user or role the missing ECS action, then run the plan again.";
  if (category === "retryable") {
    return "ECS did not answer in time or asked to slow down: run the same command again later, or raise max_retries.";
  }
  return "Fix the cause named above, then run the plan again.";
}
