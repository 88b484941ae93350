import { request } from "node:http";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";

/** One raw request; resolves with the status, content type and body text. */
function send(
  url: string,
  path: string,
  body?: Buffer,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: "POST" }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), text }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("oversized requests get a JSON error body", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => emulator.close());

  test("a query string over the header limit: 431 with Code and Message", async () => {
    const r = await send(emulator.url, `/?Action=DescribeInstances&InstanceIds=${"x".repeat(20_000)}`);
    expect(r.status).toBe(431);
    expect(r.type).toContain("application/json");
    expect(JSON.parse(r.text)).toMatchObject({ Code: "RequestHeaderTooLarge" });
  });

  test("a body over 10 MB: 413 with Code and Message", async () => {
    const r = await send(emulator.url, "/", Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toMatchObject({ Code: "RequestTooLarge" });
  });
});
