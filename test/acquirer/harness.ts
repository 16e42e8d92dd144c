// Test harness for the acquirer simulator: starts it on ephemeral ports with a temp ledger, plus a terminal side (HostLink + request builders).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptPin } from '../../firmware/crypto/dukpt';
import { tdesKsnWithCounter } from '../../firmware/crypto/dukpt-tdes';
import { defaultSpec, Iso8583Codec, type IsoMessage } from '../../firmware/host/iso8583';
import { HostLink } from '../../firmware/host/link';
import { silentLogger } from '../../firmware/log';
import { startAcquirer, type Acquirer, type AcquirerOptions } from '../../simulator/acquirer';

export const codec = new Iso8583Codec(defaultSpec);
export const TID = 'TERM0001';
export const MID = '123456789012345';
export const GOOD_PAN = '4761739001010010';
export const TEST_IPEK = Buffer.from('6AC292FAA1315B4D858AB3A3D7D5933A', 'hex');
export const TEST_KSN = Buffer.from('FFFF9876543210E00000', 'hex');
/** Terminal timeout used by the fault tests. */
export const TIMEOUT_MS = 300;

const pad2 = (n: number) => String(n).padStart(2, '0');
const amount12 = (n: number) => String(n).padStart(12, '0');

export interface CardInput {
  pan?: string;
  expiry?: string;
  /** PIN digits; undefined = bypass (no field 52/53). */
  pin?: string;
}

/** Builds requests the way docs/host-messages.md says a terminal does. STANs and KSN counters advance per call. */
export class TerminalSide {
  stan = 0;
  ksnCounter = 0;
  batch = '000001';
  readonly now = new Date();
  constructor(readonly tid = TID) {}

  nextStan(): string {
    this.stan += 1;
    return String(this.stan).padStart(6, '0');
  }

  get localDate(): string {
    return `${pad2(this.now.getMonth() + 1)}${pad2(this.now.getDate())}`;
  }

  get dateTime(): string {
    const n = this.now;
    return `${pad2(n.getUTCMonth() + 1)}${pad2(n.getUTCDate())}${pad2(n.getUTCHours())}${pad2(n.getUTCMinutes())}${pad2(n.getUTCSeconds())}`;
  }

  /** Fields 52/53 for a PIN under the sim PIN pad's TDES DUKPT key. */
  pinFields(pan: string, pin: string): Record<number, Buffer> {
    this.ksnCounter += 1;
    const ksn = tdesKsnWithCounter(TEST_KSN, this.ksnCounter);
    const { pinBlock } = encryptPin({ scheme: 'tdes', initialKey: TEST_IPEK, ksn, pin, pan });
    return { 52: pinBlock, 53: ksn };
  }

  private common(mti: string, proc: string, cond: string, entryMode: string, reference: string, stan = this.nextStan()): IsoMessage {
    const n = this.now;
    return {
      mti,
      fields: {
        3: proc,
        7: this.dateTime,
        11: stan,
        12: `${pad2(n.getHours())}${pad2(n.getMinutes())}${pad2(n.getSeconds())}`,
        13: this.localDate,
        22: entryMode,
        25: cond,
        41: this.tid,
        42: MID,
        49: '156',
        60: this.batch,
        62: reference,
      },
    };
  }

  private cardPresent(mti: string, proc: string, cond: string, card: CardInput, reference: string, amount?: number): IsoMessage {
    const pan = card.pan ?? GOOD_PAN;
    const msg = this.common(mti, proc, cond, card.pin === undefined ? '022' : '021', reference);
    if (amount !== undefined) msg.fields[4] = amount12(amount);
    msg.fields[35] = `${pan}D${card.expiry ?? '3012'}2010000000000000`;
    if (card.pin !== undefined) Object.assign(msg.fields, this.pinFields(pan, card.pin));
    return msg;
  }

  sale(amount: number, card: CardInput = { pin: '1234' }, reference = `REF-${this.stan + 1}`): IsoMessage {
    return this.cardPresent('0200', '000000', '00', card, reference, amount);
  }

  preauth(amount: number, card: CardInput = { pin: '1234' }, reference = `PRE-${this.stan + 1}`): IsoMessage {
    return this.cardPresent('0100', '030000', '06', card, reference, amount);
  }

  balance(card: CardInput = { pin: '1234' }, reference = `BAL-${this.stan + 1}`): IsoMessage {
    return this.cardPresent('0200', '310000', '00', card, reference);
  }

  /** Void (0200/200000), refund (0220/200000) or completion (0200/000000/06) of an answered original. */
  referenced(kind: 'void' | 'refund' | 'completion', original: IsoMessage, reply: IsoMessage, amount: number, reference = `${kind}-${this.stan + 1}`, pan = GOOD_PAN): IsoMessage {
    const [mti, proc, cond] = kind === 'void' ? ['0200', '200000', '00'] : kind === 'refund' ? ['0220', '200000', '00'] : ['0200', '000000', '06'];
    const msg = this.common(mti, proc, cond, '012', reference);
    msg.fields[4] = amount12(amount);
    msg.fields[2] = pan;
    msg.fields[14] = '3012';
    msg.fields[37] = String(reply.fields[37]);
    if (kind === 'completion') msg.fields[38] = String(reply.fields[38]);
    msg.fields[61] = `${original.fields[11]}${original.fields[60]}${original.fields[13]}`;
    return msg;
  }

  /** 0400 (or 0401) reversing `original`, with its own fields and field 90. */
  reversal(original: IsoMessage, repeat = false): IsoMessage {
    const fields: IsoMessage['fields'] = {};
    for (const f of [2, 3, 4, 7, 11, 12, 13, 14, 22, 25, 41, 42, 49, 60, 61, 62]) if (original.fields[f] !== undefined) fields[f] = original.fields[f];
    const pan35 = typeof original.fields[35] === 'string' ? /^(\d+)D(\d{4})/.exec(original.fields[35]) : null;
    if (pan35) {
      fields[2] = pan35[1];
      fields[14] = pan35[2];
    }
    fields[90] = `${original.mti}${original.fields[11]}${original.fields[7]}${'0'.repeat(22)}`;
    return { mti: repeat ? '0401' : '0400', fields };
  }

  statusQuery(original: IsoMessage): IsoMessage {
    return { mti: '0820', fields: { 7: this.dateTime, 11: this.nextStan(), 41: this.tid, 42: MID, 61: `${original.fields[11]}${original.fields[60]}${original.fields[13]}`, 70: '371' } };
  }

  network(code: '001' | '301'): IsoMessage {
    return { mti: '0800', fields: { 7: this.dateTime, 11: this.nextStan(), 41: this.tid, 42: MID, 70: code } };
  }

  settlement(totals: { debitCount: number; debitAmount: number; creditCount: number; creditAmount: number }, code: '201' | '202' = '201'): IsoMessage {
    const t = `${String(totals.debitCount).padStart(3, '0')}${amount12(totals.debitAmount)}${String(totals.creditCount).padStart(3, '0')}${amount12(totals.creditAmount)}`;
    return { mti: '0500', fields: { 7: this.dateTime, 11: this.nextStan(), 41: this.tid, 42: MID, 60: this.batch, 63: t, 70: code } };
  }

  /** 0320 for one transaction the terminal counts in its batch (field 11: the original STAN, or `stan`). */
  upload(original: IsoMessage, reply: IsoMessage, stan = String(original.fields[11]), pan = GOOD_PAN): IsoMessage {
    return {
      mti: '0320',
      fields: {
        2: pan,
        3: String(original.fields[3]),
        4: String(original.fields[4]),
        11: stan,
        25: String(original.fields[25]),
        37: String(reply.fields[37]),
        38: String(reply.fields[38] ?? '000000'),
        41: this.tid,
        42: MID,
        60: this.batch,
        61: `${original.fields[11]}${original.fields[60]}${original.fields[13]}`,
      },
    };
  }
}

export interface Harness {
  acq: Acquirer;
  link: HostLink;
  term: TerminalSide;
  dataDir: string;
  /** A new link to the same host (a second terminal connection). */
  newLink(): HostLink;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** Starts an acquirer on ephemeral ports with a temp ledger and a terminal link to it. */
export async function startHarness(opts: Partial<AcquirerOptions> = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'posfw-acq-'));
  const acq = await startAcquirer({ port: 0, adminPort: 0, log: silentLogger, ...opts, dataDir });
  const links: HostLink[] = [];
  const newLink = () => {
    const l = new HostLink({ host: '127.0.0.1', port: acq.port, connectTimeoutMs: 2000, responseTimeoutMs: 5000, reconnect: false, codec, log: silentLogger });
    links.push(l);
    return l;
  };
  const link = newLink();
  return {
    acq,
    link,
    term: new TerminalSide(),
    dataDir,
    newLink,
    async admin(method, path, body) {
      const init: RequestInit = { method };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers = { 'content-type': 'application/json' };
      }
      const res = await fetch(`${acq.adminUrl}${path}`, init);
      const textBody = await res.text();
      return { status: res.status, json: textBody ? JSON.parse(textBody) : undefined };
    },
    async close() {
      for (const l of links) await l.close();
      await acq.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Field as text. */
export const f = (msg: IsoMessage, n: number): string => {
  const v = msg.fields[n];
  return v === undefined ? '' : typeof v === 'string' ? v : v.toString('hex');
};
