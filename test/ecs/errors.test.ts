import { EcsError, classifyError, redactSecrets } from "../../src/ecs/errors";
import { toApiCallError } from "../../src/ecs/sdk-transport";

describe("classifyError", () => {
  const cases: [string, number | null, string, string][] = [
    // [code, http status, action, category]
    ["Throttling", 400, "JoinSecurityGroup", "retryable"],
    ["Throttling.User", 400, "LeaveSecurityGroup", "retryable"],
    ["Throttling.Api", 503, "DescribeInstances", "retryable"],
    ["ServiceUnavailable", 503, "JoinSecurityGroup", "retryable"],
    ["InternalError", 500, "LeaveSecurityGroup", "retryable"],
    ["RequestTimeout", 504, "LeaveSecurityGroup", "retryable"],
    ["OperationConflict", 409, "JoinSecurityGroup", "retryable"],
    ["InvalidOperation.Conflict", 409, "LeaveSecurityGroup", "retryable"],
    ["SomethingNew", 502, "DescribeInstances", "retryable"],
    ["ECONNRESET", null, "JoinSecurityGroup", "retryable"],
    ["EPIPE", null, "LeaveSecurityGroup", "retryable"],
    ["ECONNREFUSED", null, "JoinSecurityGroup", "unreachable"],
    ["ResponseTimeout", null, "LeaveSecurityGroup", "unreachable"],
    ["ConnectTimeout", null, "DescribeInstances", "unreachable"],
    ["ETIMEDOUT", null, "DescribeSecurityGroups", "unreachable"],
    ["Forbidden.RAM", 403, "DescribeInstances", "forbidden"],
    ["Forbidden.RAM", 403, "LeaveSecurityGroup", "forbidden"],

    ["InvalidInstanceId.AlreadyExists", 403, "JoinSecurityGroup", "already-done"],
    ["InvalidSecurityGroupAssociation.NotFound", 400, "LeaveSecurityGroup", "already-done"],
    ["InstanceNotInSecurityGroup", 403, "LeaveSecurityGroup", "already-done"],
    ["InvalidInstanceId.NotFound", 404, "LeaveSecurityGroup", "already-done"],
    ["InvalidSecurityGroupId.NotFound", 404, "LeaveSecurityGroup", "already-done"],

    ["InvalidInstanceId.NotFound", 404, "JoinSecurityGroup", "refusal"],
    ["InvalidSecurityGroupId.NotFound", 404, "JoinSecurityGroup", "refusal"],
    ["InstanceLastSecurityGroup", 403, "LeaveSecurityGroup", "refusal"],
    ["InvalidOperation.AtLeastInOneGroup", 403, "LeaveSecurityGroup", "refusal"],
    ["IncorrectInstanceStatus", 403, "LeaveSecurityGroup", "refusal"],
    ["InstanceLockedForSecurity", 403, "JoinSecurityGroup", "refusal"],
    ["InvalidInstanceId.Mismatch", 400, "JoinSecurityGroup", "refusal"],
    ["InstanceSecurityGroupLimitExceeded", 400, "JoinSecurityGroup", "refusal"],
    ["InvalidInstanceId.Malformed", 400, "JoinSecurityGroup", "refusal"],
    ["InvalidSecurityGroupId.Malformed", 400, "LeaveSecurityGroup", "refusal"],
    ["InvalidOperation.MultiGroupType", 400, "JoinSecurityGroup", "refusal"],
    ["InvalidEniId.NotFound", 404, "JoinSecurityGroup", "refusal"],
    ["InvalidEniId.Malformed", 400, "LeaveSecurityGroup", "refusal"],
    ["IncorrectNetworkInterfaceStatus", 403, "LeaveSecurityGroup", "refusal"],
    ["InvalidStatus.EniOrInstanceIsBeingCreated", 400, "JoinSecurityGroup", "refusal"],
    ["InvalidEniId.NotFound", 404, "LeaveSecurityGroup", "already-done"],
    ["InvalidParam.EniIdAndInstanceId.Conflict", 403, "JoinSecurityGroup", "other"],
    ["MissingParameter.RegionId", 400, "LeaveSecurityGroup", "other"],

    ["SignatureDoesNotMatch", 400, "DescribeInstances", "other"],
    ["InvalidAccessKeyId.NotFound", 404, "JoinSecurityGroup", "other"],
    ["MissingParameter", 400, "JoinSecurityGroup", "other"],
    ["InvalidInstanceId.AlreadyExists", 403, "LeaveSecurityGroup", "other"],
    ["InstanceNotInSecurityGroup", 403, "JoinSecurityGroup", "other"],
  ];
  it.each(cases)("%s (HTTP %s) on %s is %s", (code, status, action, category) => {
    expect(classifyError(code, status, action)).toBe(category);
  });

  it("treats an unknown code without a 5xx status as other", () => {
    expect(classifyError(undefined, undefined, "JoinSecurityGroup")).toBe("other");
    expect(classifyError("InvalidParameter", 400, "JoinSecurityGroup")).toBe("other");
  });
});

describe("EcsError", () => {
  it("formats code, API message, action, request ID and attempts", () => {
    const e = new EcsError({
      code: "InstanceLastSecurityGroup",
      apiMessage: "The specified security group is the last one of the instance.",
      action: "LeaveSecurityGroup",
      requestId: "req-1",
      httpStatus: 403,
      attempts: 1,
    });
    expect(e.message).toBe(
      "InstanceLastSecurityGroup: The specified security group is the last one of the instance. " +
        "(action LeaveSecurityGroup, request req-1, after 1 attempt)",
    );
    expect(e.category).toBe("refusal");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("EcsError");
  });

  it("says 'attempts' in the plural and 'none' for a missing request ID", () => {
    const e = new EcsError({
      code: "ECONNRESET",
      apiMessage: "socket hang up",
      action: "JoinSecurityGroup",
      requestId: null,
      httpStatus: null,
      attempts: 6,
    });
    expect(e.message).toBe(
      "ECONNRESET: socket hang up (action JoinSecurityGroup, request none, after 6 attempts)",
    );
    expect(e.category).toBe("retryable");
  });
});

describe("redactSecrets", () => {
  it("removes known secrets in plain and URL-encoded form", () => {
    const secret = "s3cr+t/=ab";
    const text = `key ${secret} and ${encodeURIComponent(secret)}`;
    const out = redactSecrets(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
  });

  it("removes query strings, signatures, tokens and auth headers", () => {
    const text =
      "connect ECONNREFUSED POST http://127.0.0.1:1/?AccessKeyId=ak&Signature=abc%3D&SecurityToken=tok failed. " +
      "Signature=deadbeef SecurityToken=tok2 Authorization: ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=f00 " +
      '{"x-acs-security-token":"tok3"}';
    const out = redactSecrets(text);
    for (const leaked of ["abc%3D", "tok", "deadbeef", "f00", "tok3"]) {
      expect(out).not.toMatch(new RegExp(`[=:"]${leaked}\\b`));
    }
    expect(out).toContain("http://127.0.0.1:1/");
  });
});

describe("SDK error sanitising", () => {
  const secret = "TopSecretValue123";
  const token = "StsTokenValue456";

  it("keeps code, status, request ID and the API's message, and nothing that echoes the request", () => {
    const sdkError = Object.assign(new Error(`code: 400, Signature mismatch request id: r-9`), {
      name: "ClientError",
      code: "SignatureDoesNotMatch",
      statusCode: 400,
      requestId: "r-9",
      description: `server string to sign is: POST&%2F&SecurityToken%3D${token}`,
      data: {
        RequestId: "r-9",
        Code: "SignatureDoesNotMatch",
        Message: `Specified signature does not match. string to sign: POST&%2F&SecurityToken%3D${token}&Signature=xyz`,
        Recommend: "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch",
      },
    });
    const e = toApiCallError(sdkError, [secret, token]);
    expect(e.code).toBe("SignatureDoesNotMatch");
    expect(e.httpStatus).toBe(400);
    expect(e.requestId).toBe("r-9");
    const everything = JSON.stringify({ ...e, message: e.message, stack: e.stack });
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain("Signature=xyz");
    expect((e as { cause?: unknown }).cause).toBeUndefined();
  });

  it("turns a socket fault into its Node code, without the signed URL", () => {
    const nodeError = Object.assign(
      new Error(
        `connect ECONNREFUSED 127.0.0.1:9POST http://127.0.0.1:9/?Signature=abc&SecurityToken=${token} failed.`,
      ),
      { code: "ECONNREFUSED" },
    );
    const e = toApiCallError(nodeError, [token]);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.httpStatus).toBeNull();
    expect(e.message).not.toContain(token);
    expect(e.message).not.toContain("Signature=abc");
  });

  it("tells the SDK's response timeout from its idle (connect) timeout, and names non-JSON bodies InvalidResponse", () => {
    const timeout = Object.assign(new Error("ReadTimeout(10). POST http://h/?a=b failed."), {
      name: "RequestTimeoutError",
    });
    expect(toApiCallError(timeout, []).code).toBe("ResponseTimeout");
    const idle = Object.assign(new Error("ConnectTimeout: Connect http://h/ failed."), {
      name: "RequestTimeoutError",
    });
    expect(toApiCallError(idle, []).code).toBe("ConnectTimeout");
    expect(toApiCallError(new SyntaxError("Unexpected token <"), []).code).toBe("InvalidResponse");
  });

  it("gives an error body without a code an Http<status> code", () => {
    const e = toApiCallError(
      Object.assign(new Error("code: 502, undefined request id: undefined"), {
        statusCode: 502,
        code: "undefined",
        data: {},
      }),
      [],
    );
    expect(e.code).toBe("Http502");
    expect(e.requestId).toBeNull();
    expect(classifyError(e.code, e.httpStatus, "JoinSecurityGroup")).toBe("retryable");
  });
});

describe("Forbidden.RAM", () => {
  const body = {
    RequestId: "req-ram",
    Code: "Forbidden.RAM",
    Message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    AccessDeniedDetail: {
      AuthAction: "ecs:LeaveSecurityGroup",
      AuthPrincipalType: "SubUser",
      AuthPrincipalDisplayName: "ci-deployer",
      NoPermissionType: "ImplicitDeny",
    },
  };

  it("keeps the AuthAction and the principal of the SDK's error body", () => {
    const e = toApiCallError(Object.assign(new Error("code: 403, x"), { statusCode: 403, data: body }), []);
    expect(e).toMatchObject({
      code: "Forbidden.RAM",
      httpStatus: 403,
      requestId: "req-ram",
      accessDenied: {
        authAction: "ecs:LeaveSecurityGroup",
        principalType: "SubUser",
        principalName: "ci-deployer",
      },
    });
  });

  it("says which RAM action is missing, for whom, and what to do next", () => {
    const e = new EcsError({
      code: "Forbidden.RAM",
      apiMessage: body.Message,
      action: "LeaveSecurityGroup",
      requestId: "req-ram",
      httpStatus: 403,
      attempts: 1,
      accessDenied: {
        authAction: "ecs:LeaveSecurityGroup",
        principalType: "SubUser",
        principalName: "ci-deployer",
      },
    });
    expect(e.category).toBe("forbidden");
    expect(e.message).toMatch(
      /^Forbidden\.RAM: the SubUser "ci-deployer" may not call ecs:LeaveSecurityGroup\./,
    );
    expect(e.message).toContain("Ask a RAM administrator to allow ecs:LeaveSecurityGroup");
    expect(e.message).toContain("no resource was dropped from state");
    expect(e.message).toContain("(action LeaveSecurityGroup, request req-ram, after 1 attempt)");
  });

  it("falls back to ecs:<Action> when the body has no AccessDeniedDetail", () => {
    const e = new EcsError({
      code: "Forbidden.RAM",
      apiMessage: "denied",
      action: "DescribeInstances",
      requestId: null,
      httpStatus: 403,
      attempts: 1,
    });
    expect(e.message).toContain("these credentials may not call ecs:DescribeInstances");
  });
});
