/** An ECS API refusal: a stable code, the documented HTTP status and a plain message. */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    /** Further fields of the error body, e.g. `AccessDeniedDetail`. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The body the real service answers an error with. */
export interface ErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
  /** Only on RAM refusals (`Forbidden.RAM`). */
  AccessDeniedDetail?: unknown;
}

/** Troubleshooting link in the form the real service uses; it always contains the code. */
export function recommendUrl(code: string, requestId: string): string {
  return `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Ecs&requestId=${requestId}`;
}

export function errorBody(error: ApiError, requestId: string, hostId: string): ErrorBody {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: recommendUrl(error.code, requestId),
    ...error.extra,
  };
}
