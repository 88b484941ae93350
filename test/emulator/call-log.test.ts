import { actionParams, CallLog } from "../../src/emulator/call-log";

describe("the call log's parameters", () => {
  test("keep the action's own parameters and drop the protocol's", () => {
    expect(
      actionParams({
        Action: "JoinSecurityGroup",
        AccessKeyId: "test",
        Signature: "abc=",
        SecurityToken: "sts",
        InstanceId: "i-web1",
        SecurityGroupId: "sg-web",
      }),
    ).toEqual({ InstanceId: "i-web1", SecurityGroupId: "sg-web" });
  });

  test("never keep a credential a wrong client sends as a parameter; a paging NextToken is kept", () => {
    const log = new CallLog();
    log.add({
      action: "DescribeInstances",
      params: actionParams({
        NextToken: "page-2",
        AccessKeySecret: "s3cr3t",
        Password: "pw",
        StsToken: "tok",
      }),
      httpStatus: 200,
      code: null,
    });
    const [logged] = log.list();
    expect(JSON.stringify(logged)).not.toMatch(/s3cr3t|"pw"|"tok"/);
    expect(logged.params).toEqual({
      NextToken: "page-2",
      AccessKeySecret: "<redacted>",
      Password: "<redacted>",
      StsToken: "<redacted>",
    });
  });
});
