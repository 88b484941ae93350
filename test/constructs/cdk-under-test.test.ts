/**
 * The constructs suite runs once per CDK (jest projects "cdktf" and "cdktn", see jest.config.js):
 * this checks that each run really loads the CDK it is named for, the source included.
 */
import { readFileSync } from "node:fs";
import { TerraformProvider, TerraformStack, Testing } from "cdktf";
import { AlisgProvider } from "../../src";

declare const ALISG_TEST_CDK: "cdktf" | "cdktn";

test("the constructs extend the classes of the CDK this run is named for", () => {
  const manifest = JSON.parse(readFileSync(require.resolve("cdktf/package.json"), "utf8")) as {
    name: string;
  };
  expect(manifest.name).toBe(ALISG_TEST_CDK);

  const provider = new AlisgProvider(new TerraformStack(Testing.app(), "s"), "alisg", {});
  expect(provider).toBeInstanceOf(TerraformProvider);
});
