import { generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  unsignedInteger,
  utcTime,
  utf8String,
  type Der,
} from "./der";

/** A certificate and its key, in the forms the TLS stack and the handshake need. */
export interface ServerCertificate {
  /** DER bytes: base64-encoded into the handshake line. */
  readonly der: Buffer;
  readonly certPem: string;
  readonly keyPem: string;
}

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

const HOST = "localhost";

function extension(oid: string, critical: boolean, value: Der): Der {
  return critical
    ? sequence(objectIdentifier(oid), boolean(true), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

/**
 * A fresh self-signed ECDSA P-256 certificate for this process, with the
 * fields go-plugin's automatic mTLS accepts: CN and SAN "localhost", CA:TRUE,
 * key usages digitalSignature|keyEncipherment|keyAgreement|keyCertSign,
 * extended key usages serverAuth+clientAuth, a positive serial number.
 *
 * Built with node:crypto and a small DER encoder rather than an x509 library:
 * this runs at every provider start-up and the library alone cost ~50 ms.
 */
export function generateServerCertificate(now = new Date()): ServerCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const der = buildCertificate(privateKey, publicKey.export({ type: "spki", format: "der" }), now);
  return {
    der,
    certPem: toPem("CERTIFICATE", der),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function buildCertificate(key: KeyObject, spki: Buffer, now: Date): Buffer {
  const serial = randomBytes(16);
  serial[0] = serial[0] & 0x7f || 1; // positive (Go rejects negative serials) and minimal
  const name = sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(HOST))));
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  // Valid from a little before now (clock skew) for a month: the process lives minutes.
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + 30 * 24 * 3600_000);
  // keyUsage bits 0 (digitalSignature), 2 (keyEncipherment), 4 (keyAgreement), 5 (keyCertSign):
  // 0b10101100 with the two unused trailing bits dropped.
  const keyUsage = bitString(Buffer.from([0xac]), 2);
  const extensions = sequence(
    extension(OID.basicConstraints, true, sequence(boolean(true))),
    extension(OID.keyUsage, true, keyUsage),
    extension(
      OID.extKeyUsage,
      false,
      sequence(objectIdentifier(OID.serverAuth), objectIdentifier(OID.clientAuth)),
    ),
    extension(OID.subjectAltName, false, sequence(implicitPrimitive(2, Buffer.from(HOST, "ascii")))),
  );
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(utcTime(notBefore), utcTime(notAfter)),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, { key, dsaEncoding: "der" });
  return sequence(tbs, algorithm, bitString(signature));
}

export function toPem(label: string, der: Buffer): string {
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END ${label}-----\n`;
}
