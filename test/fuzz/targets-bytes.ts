// Fuzz targets over bytes from the outside: ISO 8583 messages, host frames, scan-head and magstripe bytes, PIN pad frames.
import { defaultSpec, Iso8583Codec, IsoError, type IsoMessage } from '../../firmware/host/iso8583';
import { FrameDecoder, FramingError, encodeFrame as encodeHostFrame, type FramingOptions } from '../../firmware/host/transport/framing';
import { ScanFramer, checkCode } from '../../firmware/hal/scanner/scanner-decode';
import { HidPosDecoder, encodeHidPosReports } from '../../firmware/hal/scanner/scanner-decode-hidpos';
import { SwipeJoiner, SwipeLineFramer, swipeFromText } from '../../firmware/hal/magstripe/magstripe-decode';
import { MagtekReportAssembler, encodeMagtekReport } from '../../firmware/hal/magstripe/magstripe-decode-magtek';
import { parseTracks, TrackError } from '../../firmware/hal/magstripe/track';
import { FrameParser, encodeFrame as encodePadFrame } from '../../firmware/hal/pinpad/pinpad-protocol-frame';
import { decodeMessage, encodeMessage, ProtocolViolation, type PinPadMessage } from '../../firmware/hal/pinpad/pinpad-protocol';
import { Crash, type Rng } from './fuzz-kit';

type Verdict = { verdict: 'accepted' | 'rejected'; input: string };

const codec = new Iso8583Codec(defaultSpec);
const ISO_SEEDS: IsoMessage[] = [
  { mti: '0200', fields: { 2: '4761739001010119', 3: '000000', 4: '000000001234', 11: '000042', 14: '2212', 35: '4761739001010119D22122011758928889', 41: 'TERM0001', 42: 'MERCHANT0000001', 49: '156', 52: Buffer.from('0123456789ABCDEF', 'hex'), 53: Buffer.from('FFFF9876543210E00001', 'hex'), 62: 'ECR-1' } },
  { mti: '0210', fields: { 3: '310000', 4: '000000001234', 11: '000042', 37: '123456789012', 38: 'AB12CD', 39: '00', 41: 'TERM0001', 54: '1001156C000000050000' } },
  { mti: '0810', fields: { 11: '000001', 39: '00', 41: 'TERM0001', 70: '001' } },
];
const ISO_PACKED = ISO_SEEDS.map((m) => codec.pack(m));

/** Whatever bytes the host sends: a message or an IsoError saying what was expected where; an accepted one re-packs. */
export function iso8583(rng: Rng): Verdict {
  const input = rng.chance(0.2) ? rng.bytes(160) : rng.mutate(rng.pick(ISO_PACKED));
  const hex = input.toString('hex');
  let msg: IsoMessage;
  try {
    msg = codec.unpack(input);
  } catch (err) {
    return { verdict: typedOr(err, [IsoError], hex), input: hex };
  }
  codec.unpack(codec.pack(msg));
  return { verdict: 'accepted', input: hex };
}

const FRAMINGS: FramingOptions[] = [{}, { lengthEncoding: 'ascii', lengthBytes: 4 }, { lengthEncoding: 'bcd' }, { header: Buffer.from('6000030000', 'hex') }, { header: Buffer.from('60', 'hex'), includeHeader: false, lengthIncludesPrefix: true }, { maxFrame: 64 }];

/** A byte stream from the acquirer, in random chunks: frames or a FramingError; after an error the decoder says it is unusable. */
export function hostFrames(rng: Rng): Verdict {
  const opts = rng.pick(FRAMINGS);
  const frames = Array.from({ length: 1 + rng.int(3) }, () => {
    try {
      return encodeHostFrame(rng.pick(ISO_PACKED).subarray(0, opts.maxFrame ? 40 : undefined), opts);
    } catch {
      return rng.bytes(20);
    }
  });
  const stream = rng.chance(0.3) ? rng.bytes(200) : rng.mutate(Buffer.concat(frames));
  const hex = `${JSON.stringify(opts)} ${stream.toString('hex')}`;
  const d = new FrameDecoder(opts);
  let failed = false;
  for (const chunk of rng.chunks(stream)) {
    try {
      for (const f of d.push(chunk)) {
        if (f.payload.length > (opts.maxFrame ?? 8192)) throw Object.assign(new Crash(`frame over maxFrame: ${hex}`), { input: hex });
        try {
          codec.unpack(f.payload);
        } catch (err) {
          typedOr(err, [IsoError], hex);
        }
      }
    } catch (err) {
      if (err instanceof Crash) throw err;
      typedOr(err, [FramingError], hex);
      failed = true;
    }
    if (d.buffered > (opts.maxFrame ?? 8192) + 16) throw Object.assign(new Crash(`decoder holds ${d.buffered} bytes: ${hex}`), { input: hex });
  }
  return { verdict: failed ? 'rejected' : 'accepted', input: hex };
}

const CODES = ['6225880212345678', ']Q1https://qr.alipay.com/abc', '134567890123456789', '286012345678901234', 'x'.repeat(100)];

/** Scan-head bytes (serial framing with prefix/suffix/AIM, HID POS reports): scans or typed rejects, memory bounded. */
export function scannerBytes(rng: Rng): Verdict {
  const serial = rng.chance(0.6);
  if (serial) {
    const opts = { prefix: rng.pick(['', '\x02']), suffix: rng.pick(['\r', '\r\n', '\x03']), symbologyIds: rng.pick(['none', 'aim'] as const), maxLength: rng.pick([16, 512, 2048]) };
    const good = Buffer.from(CODES.map((c) => `${opts.prefix}${c}${opts.suffix}`).join(''), 'latin1');
    const input = rng.chance(0.3) ? rng.bytes(300) : rng.mutate(good);
    const hex = `${JSON.stringify(opts)} ${input.toString('hex')}`;
    const f = new ScanFramer(opts);
    let rejected = false;
    for (const chunk of rng.chunks(input)) {
      for (const r of f.push(chunk)) {
        if (r.kind === 'reject') rejected = true;
        else if (checkCode(r.scan.data, opts.maxLength)) throw Object.assign(new Crash(`framer passed a code checkCode refuses: ${hex}`), { input: hex });
      }
      if (f.buffered > opts.prefix.length + 3 + opts.maxLength * 4 + opts.suffix.length) throw Object.assign(new Crash(`framer holds ${f.buffered} bytes: ${hex}`), { input: hex });
    }
    return { verdict: rejected ? 'rejected' : 'accepted', input: hex };
  }
  const reports = rng.chance(0.5) ? encodeHidPosReports(rng.pick(CODES), rng.chance(0.5) ? ']Q1' : undefined) : [rng.bytes(70)];
  const input = reports.map((r) => (rng.chance(0.5) ? rng.mutate(r) : r));
  const hex = input.map((b) => b.toString('hex')).join('|');
  const d = new HidPosDecoder(rng.pick([16, 2048]));
  let rejected = false;
  for (const r of input) for (const out of d.push(r)) rejected ||= out.kind === 'reject';
  return { verdict: rejected ? 'rejected' : 'accepted', input: hex };
}

const TRACK2 = ';4761739001010010=30121010000000000000?';
const TRACK1 = '%B4761739001010010^CARDHOLDER/TEST^30121010000000000000?';

/** Magstripe bytes (serial lines, keyboard-wedge text, MagTek HID reports): a card or a bad read, never a throw. */
export function magstripeBytes(rng: Rng): Verdict {
  const how = rng.int(3);
  let hex: string;
  const events: Array<{ kind: string }> = [];
  if (how === 0) {
    const input = rng.chance(0.3) ? rng.bytes(700) : rng.mutate(Buffer.from(`${TRACK1}${TRACK2}\r`, 'latin1'));
    hex = input.toString('hex');
    const f = new SwipeLineFramer();
    const joiner = new SwipeJoiner();
    for (const chunk of rng.chunks(input)) {
      for (const r of f.push(chunk)) {
        if (r.kind === 'swipe') events.push(r.swipe);
        else events.push(...joiner.push(r.line));
      }
    }
    events.push(...joiner.flush());
  } else if (how === 1) {
    const text = rng.chance(0.5) ? rng.text(120) : rng.mutate(Buffer.from(TRACK2, 'latin1')).toString('latin1');
    hex = Buffer.from(text, 'latin1').toString('hex');
    events.push(swipeFromText(text));
    try {
      parseTracks({ track2: text });
    } catch (err) {
      typedOr(err, [TrackError, RangeError, TypeError], hex);
    }
  } else {
    const report = rng.chance(0.5) ? rng.mutate(encodeMagtekReport({ track1: TRACK1.slice(1, -1), track2: TRACK2.slice(1, -1) })) : rng.bytes(400);
    hex = report.toString('hex');
    const a = new MagtekReportAssembler();
    for (const chunk of rng.chunks(report)) events.push(...a.push(chunk));
  }
  for (const e of events) if (e.kind !== 'card' && e.kind !== 'bad-read') throw Object.assign(new Crash(`odd swipe event ${JSON.stringify(e)}: ${hex}`), { input: hex });
  return { verdict: events.some((e) => e.kind === 'card') ? 'accepted' : 'rejected', input: hex };
}

const PAD_SEEDS: PinPadMessage[] = [
  { cmd: 'pinResult', ref: 7, status: 'pin', format: 0, pinBlock: Buffer.alloc(8, 0x11), ksn: Buffer.alloc(10, 0xff) },
  { cmd: 'pinResult', ref: 8, status: 'bypass' },
  { cmd: 'statusReply', ref: 1, state: 'idle', scheme: 'tdes', ksn: Buffer.alloc(10, 1), version: '1.0' },
  { cmd: 'error', ref: 2, code: 3, text: 'busy' },
  { cmd: 'echoReply', ref: 3, data: Buffer.from('ping') },
];

/** PIN pad line bytes: frames, ACK/NAK, noise or bad frames; every frame body a message or a ProtocolViolation. */
export function pinpadFrames(rng: Rng): Verdict {
  const good = Buffer.concat(PAD_SEEDS.map((m) => encodePadFrame(encodeMessage(m))));
  const input = rng.chance(0.25) ? rng.bytes(300) : rng.mutate(good);
  const hex = input.toString('hex');
  const p = new FrameParser();
  let rejected = false;
  for (const chunk of rng.chunks(input)) {
    for (const e of p.push(chunk)) {
      if (e.type === 'bad-frame') rejected = true;
      if (e.type !== 'frame') continue;
      try {
        decodeMessage(e.payload);
      } catch (err) {
        typedOr(err, [ProtocolViolation], hex);
        rejected = true;
      }
    }
  }
  p.flushPartial();
  return { verdict: rejected ? 'rejected' : 'accepted', input: hex };
}

function typedOr(err: unknown, types: ReadonlyArray<new (...args: never[]) => Error>, input: string): 'rejected' {
  if (types.some((t) => err instanceof t) && (err as Error).message.length > 0) return 'rejected';
  throw Object.assign(new Crash(`untyped error for ${input.slice(0, 400)}: ${(err as Error)?.stack ?? String(err)}`), { input });
}
