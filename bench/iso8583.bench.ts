// Benchmark: pack+unpack round trips per second of a typical 0200, posfw codec vs the npm package iso_8583, same run.
import { performance } from 'node:perf_hooks';
import { defaultSpec, Iso8583Codec, type IsoMessage } from '../firmware/host/iso8583';

type IsoLibMessage = Record<string, string>;
interface IsoLibInstance {
  getBufferMessage(): Buffer | { error: string };
  getIsoJSON(buf: Buffer, config?: object): IsoLibMessage | { error: string };
}
type IsoLib = new (msg?: IsoLibMessage, customFormats?: object) => IsoLibInstance;
const IsoLib: IsoLib = require('iso_8583');

/** A typical card sale: swipe + PIN (DUKPT KSN in 53), ECR reference in 62. Test card data only. */
const CONTENT: Record<number, string> = {
  2: '4761739001010119',
  3: '000000',
  4: '000000001234',
  7: '0611093015',
  11: '000042',
  12: '093015',
  13: '0611',
  22: '021',
  25: '00',
  35: '4761739001010119D22122011758928889',
  41: 'TERM0001',
  42: 'MERCHANT0000001',
  49: '156',
  52: '0123456789ABCDEF',
  53: 'FFFF9876543210E00001',
  62: 'ECR-20240611-000042',
};
const BINARY = new Set([52, 53]);

const ours: IsoMessage = {
  mti: '0200',
  fields: Object.fromEntries(Object.entries(CONTENT).map(([k, v]) => [k, BINARY.has(Number(k)) ? Buffer.from(v, 'hex') : v])),
};
const theirs: IsoLibMessage = { 0: '0200', ...CONTENT };
/** iso_8583's default formats have 53 as b96 fixed; ours carries a 10-byte KSN as LLVAR. */
const theirFormats = { 53: { ContentType: 'b', Label: 'Security related control information', LenType: 'llvar', MaxLen: 96 } };

const codec = new Iso8583Codec(defaultSpec);

function posfwRoundTrip(): unknown {
  return codec.unpack(codec.pack(ours)).fields;
}

function isoLibRoundTrip(): unknown {
  const packed = new IsoLib(theirs, theirFormats).getBufferMessage();
  if (!Buffer.isBuffer(packed)) throw new Error(`iso_8583 pack failed: ${JSON.stringify(packed)}`);
  const json = new IsoLib(undefined, theirFormats).getIsoJSON(packed);
  if ('error' in json) throw new Error(`iso_8583 unpack failed: ${json.error}`);
  return json;
}

/** Runs `fn` in batches for `ms` milliseconds; returns calls per second. */
function rate(fn: () => unknown, ms: number): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 200; i++) fn();
    calls += 200;
    elapsed = performance.now() - start;
  }
  return (calls * 1000) / elapsed;
}

function checkSameContent(): void {
  const a = posfwRoundTrip() as Record<string, string | Buffer>;
  const b = isoLibRoundTrip() as Record<string, string>;
  for (const [k, v] of Object.entries(CONTENT)) {
    const mine = a[k];
    const ourText = typeof mine === 'string' ? mine : mine.toString('hex').toUpperCase();
    if (ourText !== v) throw new Error(`posfw round trip changed field ${k}`);
    if (String(b[k]).toUpperCase() !== v.toUpperCase()) throw new Error(`iso_8583 round trip changed field ${k}: ${b[k]}`);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Warm-up, then 3 alternating rounds of 500 ms each (so load from other processes hits both sides); medians. */
function main(): void {
  checkSameContent();
  rate(posfwRoundTrip, 300);
  rate(isoLibRoundTrip, 300);
  const ourRates: number[] = [];
  const theirRates: number[] = [];
  for (let round = 0; round < 3; round++) {
    ourRates.push(rate(posfwRoundTrip, 500));
    theirRates.push(rate(isoLibRoundTrip, 500));
  }
  const mine = median(ourRates);
  const theirsRate = median(theirRates);
  const ratio = mine / theirsRate;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    `iso8583 pack+unpack: posfw ${fmt(mine)}/s, iso_8583 ${fmt(theirsRate)}/s, ratio ${ratio.toFixed(1)}x (target >= 10x)\n`,
  );
}

main();
