/**
 * A notification delivery service on loopback for the LSPS5 tests and the benchmark: a real HTTPS server
 * whose certificate is issued by a CA generated at run time (nothing secret is committed). The CA's PEM is
 * what an operator would name in NODE_EXTRA_CA_CERTS.
 */
import { webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
// @peculiar/x509 needs the Reflect metadata API (tsyringe) loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type KeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface TestCa {
  /** The CA certificate (trust anchor). */
  caPem: string;
  /** The server's certificate and key, for `localhost`, `push.test` and 127.0.0.1. */
  certPem: string;
  keyPem: string;
}

/** A fresh CA and a server certificate it issued for `names` (DNS names) and 127.0.0.1. */
export async function makeTestCa(names: string[] = ['localhost', 'push.test']): Promise<TestCa> {
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(Date.now() + 24 * 3600_000);
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=jitlsp test CA',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${names[0]}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.map((value) => ({ type: 'dns' as const, value })),
        { type: 'ip' as const, value: '127.0.0.1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    caPem: ca.toString('pem'),
    certPem: leaf.toString('pem'),
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

export interface ReceivedCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver answers a call with: a status, or 'hang' (never answer). */
export type Answer = number | 'hang' | { status: number; headers?: Record<string, string> };

export interface Receiver {
  readonly port: number;
  readonly calls: ReceivedCall[];
  /** Requests being answered right now, and the most at once so far. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** TLS connections accepted so far (keep-alive reuse shows as fewer connections than calls). */
  readonly connections: number;
  /** `https://<host>:<port><path>`. */
  url(path?: string, host?: string): string;
  /** How the next calls are answered (default 200). */
  answer(fn: (call: ReceivedCall) => Answer | Promise<Answer>): void;
  /** Resolves once `n` calls arrived (rejects after `timeoutMs`). */
  waitForCalls(n: number, timeoutMs?: number): Promise<ReceivedCall[]>;
  close(): Promise<void>;
}

export async function startReceiver(ca: TestCa): Promise<Receiver> {
  const calls: ReceivedCall[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let answer: (c: ReceivedCall) => Answer | Promise<Answer> = () => 200;
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer({ cert: ca.certPem, key: ca.keyPem }, (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const call: ReceivedCall = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      calls.push(call);
      for (const w of waiters.filter((x) => calls.length >= x.n)) w.resolve();
      const a = await answer(call);
      if (a === 'hang') {
        res.on('close', () => inFlight--);
        return;
      }
      const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end('ok');
      inFlight--;
    });
  });
  let connections = 0;
  server.on('secureConnection', () => connections++);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    calls,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get connections() {
      return connections;
    },
    url: (path = '/push', host = 'localhost') => `https://${host}:${port}${path}`,
    answer: (fn) => {
      answer = fn;
    },
    waitForCalls(n, timeoutMs = 15_000) {
      if (calls.length >= n) return Promise.resolve(calls.slice());
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`receiver: ${calls.length} of ${n} calls after ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(t);
            resolve(calls.slice());
          },
        });
      });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
