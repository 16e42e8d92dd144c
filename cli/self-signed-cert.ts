// A self-signed X.509 certificate (ECDSA P-256) for the ECR API's TLS, built as DER with node:crypto alone.
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...p: Buffer[]) => der(0x30, ...p);
const set = (...p: Buffer[]) => der(0x31, ...p);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2))) : der(0x18, Buffer.from(iso));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

export interface SelfSigned {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate (colon hex), for an ECR that pins it. */
  fingerprint256: string;
}

/** A certificate for `names` (DNS) and `ips`, valid from now for `days`; the first name (or IP) is the subject CN. */
export function selfSignedCertificate(opts: { names: string[]; ips: string[]; days: number; now?: Date }): SelfSigned {
  if (!opts.names.length && !opts.ips.length) throw new RangeError('expected at least one --name or --ip');
  for (const ip of opts.ips) if (!isIP(ip)) throw new RangeError(`--ip ${ip}: not an IP address`);
  for (const n of opts.names) if (!/^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(n)) throw new RangeError(`--name ${n}: not a DNS name`);
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = opts.now ?? new Date();
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), utf8(opts.names[0] ?? opts.ips[0]))), set(seq(oid('2.5.4.10'), utf8('posfw terminal'))));
  const san = seq(...opts.names.map((n) => der(0x82, Buffer.from(n))), ...opts.ips.map((ip) => der(0x87, ipBytes(ip))));
  const critical = der(0x01, Buffer.from([0xff]));
  const extensions = der(
    0xa3,
    seq(
      seq(oid('2.5.29.19'), critical, der(0x04, seq(der(0x01, Buffer.from([0xff]))))), // basicConstraints: CA (its own trust anchor)
      seq(oid('2.5.29.15'), critical, der(0x04, der(0x03, Buffer.from([0x05, 0xa0])))), // keyUsage: digitalSignature, keyCertSign
      seq(oid('2.5.29.37'), der(0x04, seq(oid('1.3.6.1.5.5.7.3.1')))), // extKeyUsage: serverAuth
      seq(oid('2.5.29.17'), der(0x04, san)),
    ),
  );
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    ecdsaSha256,
    name,
    seq(time(new Date(now.getTime() - 60_000)), time(new Date(now.getTime() + opts.days * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, ecdsaSha256, der(0x03, Buffer.from([0]), signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${cert.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  const x509 = new X509Certificate(certPem);
  if (!x509.verify(publicKey)) throw new Error('generated certificate does not verify');
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, fingerprint256: x509.fingerprint256 };
}
