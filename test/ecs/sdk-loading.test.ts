/** The provider process loads the client at start-up; the SDK must wait for the first call. */
const loaded: string[] = [];

jest.mock("@alicloud/openapi-core", () => {
  loaded.push("@alicloud/openapi-core");
  return jest.requireActual("@alicloud/openapi-core");
});
jest.mock("@alicloud/credentials", () => {
  loaded.push("@alicloud/credentials");
  return jest.requireActual("@alicloud/credentials");
});

import { startEmulator } from "../../src/emulator/server";

it("loads the SDK on the first call, not when the client module is loaded or created", async () => {
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  try {
    loaded.length = 0;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createEcsClient } = require("../../src/ecs/client") as typeof import("../../src/ecs/client");
    const client = createEcsClient({
      regionId: "cn-hangzhou",
      endpoint: emulator.url,
      credentials: { accessKeyId: "test", accessKeySecret: "test" },
    });
    expect(loaded).toEqual([]);
    expect((await client.describeInstances(["i-none"])).size).toBe(0);
    expect(loaded).toContain("@alicloud/openapi-core");
  } finally {
    await emulator.close();
  }
});
