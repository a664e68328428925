// Certificates of a throwaway cluster: a self-signed CA, a serving certificate for loopback, and
// client certificates whose CN/O carry the user and groups, the way Kubernetes' x509 authenticator
// reads them.
// @peculiar/x509 resolves its services through tsyringe, which needs a Reflect metadata polyfill.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { webcrypto } from "node:crypto";
import type { Identity } from "../types.ts";

x509.cryptoProvider.set(globalThis.crypto);

// EC P-256: key generation takes milliseconds, so every test server can have its own CA.
const keyAlgorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const validity = { pastMs: 60 * 60 * 1000, futureMs: 365 * 24 * 60 * 60 * 1000 };

export interface ClusterCertificates {
  caCertPem: string;
  /** Kept so that further client certificates can be issued (see issueClientCertificate). */
  caKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  adminClientCertPem: string;
  adminClientKeyPem: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export type CertificateAuthority = Pick<ClusterCertificates, "caCertPem" | "caKeyPem">;

export async function generateClusterCertificates(): Promise<ClusterCertificates> {
  const ca = await createCertificateAuthority("flux-mcp-apiserver-ca");
  const server = await issueServerCertificate(ca);
  const admin = await issueClientCertificate(ca, { user: "admin", groups: ["system:masters"] });
  return {
    ...ca,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    adminClientCertPem: admin.certPem,
    adminClientKeyPem: admin.keyPem,
  };
}

export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: keyAlgorithm,
    ...validityPeriod(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { caCertPem: cert.toString("pem"), caKeyPem: await exportPrivateKey(keys.privateKey) };
}

/** A client certificate for `identity`: CN = user, one O per group. */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  identity: Identity,
): Promise<IssuedCertificate> {
  const subject = [{ CN: [identity.user] }, ...identity.groups.map((group) => ({ O: [group] }))];
  return issue(ca, subject, [x509.ExtendedKeyUsage.clientAuth], []);
}

const LOOPBACK_NAMES: x509.JsonGeneralName[] = [
  { type: "ip", value: "127.0.0.1" },
  { type: "ip", value: "::1" },
  { type: "dns", value: "localhost" },
];

/** A serving certificate for the given names (default: the loopback ones). */
export async function issueServerCertificate(
  ca: CertificateAuthority,
  names: x509.JsonGeneralName[] = LOOPBACK_NAMES,
): Promise<IssuedCertificate> {
  const commonName = names.find((name) => name.type === "dns")?.value ?? "localhost";
  return issue(ca, [{ CN: [commonName] }], [x509.ExtendedKeyUsage.serverAuth], names);
}

async function issue(
  ca: CertificateAuthority,
  subject: x509.JsonName,
  extendedKeyUsages: x509.ExtendedKeyUsage[],
  subjectAltNames: x509.JsonGeneralName[],
): Promise<IssuedCertificate> {
  const caCert = new x509.X509Certificate(ca.caCertPem);
  const caKey = await importPrivateKey(ca.caKeyPem);
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(extendedKeyUsages),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (subjectAltNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(subjectAltNames));
  const cert = await x509.X509CertificateGenerator.create({
    subject,
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: keyAlgorithm,
    ...validityPeriod(),
    extensions,
  });
  return { certPem: cert.toString("pem"), keyPem: await exportPrivateKey(keys.privateKey) };
}

function validityPeriod(): { notBefore: Date; notAfter: Date } {
  // Backdated a little so that a client with a slightly different clock accepts it.
  const now = Date.now();
  return { notBefore: new Date(now - validity.pastMs), notAfter: new Date(now + validity.futureMs) };
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(keyAlgorithm, true, ["sign", "verify"]);
}

async function exportPrivateKey(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
}

async function importPrivateKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return crypto.subtle.importKey("pkcs8", der, keyAlgorithm, false, ["sign"]);
}
