import { createPrivateKey, X509Certificate } from "node:crypto";
import { generateServerCertificate } from "../../../src/provider/plugin/certificate";
import { objectIdentifier, unsignedInteger } from "../../../src/provider/plugin/der";
import { handshakeLine, handshakeProblem, MAGIC_COOKIE_VALUE } from "../../../src/provider/plugin/handshake";
import {
  bytesField,
  intField,
  MessageWriter,
  messageField,
  readFields,
  repeatedMessages,
  stringField,
} from "../../../src/provider/plugin/protobuf-wire";
import { encodeGetProviderSchema } from "../../../src/provider/plugin/tfplugin6";

describe("protobuf wire format", () => {
  it("writes fields as protoc does and reads them back", () => {
    const buf = new MessageWriter().int(1, 150).string(2, "testing").bool(3, false).finish();
    // The classic examples of the protobuf encoding guide: 08 96 01, 12 07 "testing".
    expect(buf.toString("hex")).toBe("089601120774657374696e67");
    const f = readFields(buf);
    expect(intField(f, 1)).toBe(150);
    expect(stringField(f, 2)).toBe("testing");
    expect(intField(f, 3)).toBe(0);
  });

  it("keeps repeated and nested messages, and negative int64", () => {
    const w = new MessageWriter()
      .message(4, new MessageWriter().string(1, "a"))
      .message(4, new MessageWriter().string(1, "b"))
      .int(5, -1);
    const f = readFields(w.finish());
    expect(repeatedMessages(f, 4).map((m) => stringField(m, 1))).toEqual(["a", "b"]);
    expect(intField(f, 5)).toBe(-1);
  });

  it("skips fields of every wire type it does not read", () => {
    const buf = Buffer.concat([
      Buffer.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8]), // field 1, fixed64
      Buffer.from([0x15, 1, 2, 3, 4]), // field 2, fixed32
      new MessageWriter().bytes(3, Buffer.from("x")).finish(),
    ]);
    expect(bytesField(readFields(buf), 3)?.toString()).toBe("x");
  });

  it("refuses truncated input", () => {
    expect(() => readFields(Buffer.from([0x12, 0x05, 0x61]))).toThrow(/truncated/);
  });
});

describe("DER", () => {
  it("encodes object identifiers and positive integers", () => {
    expect(objectIdentifier("1.2.840.10045.4.3.2").toString("hex")).toBe("06082a8648ce3d040302");
    expect(unsignedInteger(Buffer.from([0x80])).toString("hex")).toBe("02020080");
    expect(unsignedInteger(Buffer.from([0, 0, 5])).toString("hex")).toBe("020105");
  });
});

describe("the server certificate", () => {
  const cert = generateServerCertificate();
  const x509 = new X509Certificate(cert.der);

  it("is a self-signed P-256 CA certificate for localhost", () => {
    expect(x509.subject).toBe("CN=localhost");
    expect(x509.issuer).toBe("CN=localhost");
    expect(x509.subjectAltName).toBe("DNS:localhost");
    expect(x509.ca).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPem))).toBe(true);
  });

  it("allows server and client authentication", () => {
    expect(x509.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  });

  it("has a positive serial number and is valid now", () => {
    expect(parseInt(x509.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
    expect(new Date(x509.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it("is new for every process (every call)", () => {
    expect(generateServerCertificate().der.equals(cert.der)).toBe(false);
  });
});

describe("the handshake", () => {
  it("prints the certificate as base64 without padding", () => {
    const line = handshakeLine({ network: "unix", address: "/tmp/plugin1" }, Buffer.from([1, 2, 3, 4]));
    expect(line).toBe("1|6|unix|/tmp/plugin1|grpc|AQIDBA");
    expect(handshakeLine({ network: "unix", address: "/tmp/p" })).toBe("1|6|unix|/tmp/p|grpc|");
  });

  it("explains itself when not started by Terraform", () => {
    expect(handshakeProblem({})).toMatch(/This binary is a plugin/);
    expect(handshakeProblem({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE })).toBeUndefined();
    expect(
      handshakeProblem({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "4,5" }),
    ).toMatch(/protocol 6/);
  });
});

describe("schema with a nested block", () => {
  it("writes Block.block_types (3) as NestedBlock { type_name, block, nesting SINGLE = 1 }", () => {
    const buf = encodeGetProviderSchema({
      provider: { attributes: [] },
      resources: {
        toy_thing: {
          attributes: [{ name: "id", type: "string", computed: true }],
          blocks: [
            {
              name: "timeouts",
              nesting: "single",
              block: { attributes: [{ name: "delete", type: "string", optional: true }] },
            },
          ],
        },
      },
      planDestroy: true,
    });
    const entry = repeatedMessages(readFields(buf), 2)[0];
    expect(stringField(entry, 1)).toBe("toy_thing");
    const block = messageField(messageField(entry, 2)!, 2)!;
    const [nested] = repeatedMessages(block, 3);
    expect(stringField(nested, 1)).toBe("timeouts");
    expect(intField(nested, 3)).toBe(1);
    const [attribute] = repeatedMessages(messageField(nested, 2)!, 2);
    expect(stringField(attribute, 1)).toBe("delete");
    expect(bytesField(attribute, 2)?.toString()).toBe('"string"');
  });
});
