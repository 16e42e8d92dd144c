// The emulated scan head frames codes like the configured head: the serial driver's framer reads back the code.
import { ScanFramer } from '../../firmware/hal/scanner/scanner-decode';
import { ScanHeadEmulator, scanFrame } from './scan-head-emul';
import type { SerialPeer } from './serial-peer';

describe('scan head emulator', () => {
  it('frames prefix + code + suffix as UTF-8', () => {
    expect(scanFrame('134567890123456789', { prefix: '', suffix: '\r' })).toEqual(Buffer.from('31333435363738393031323334353637383' + '90d', 'hex'));
    expect(scanFrame('付款', { prefix: 'S:', suffix: '\r\n' })).toEqual(Buffer.from('533ae4bb98e6acbe0d0a', 'hex'));
  });

  it('writes each scan on the line; the driver framer reads the same code back', async () => {
    const sent: Buffer[] = [];
    const line: SerialPeer = { path: '/dev/null', write: async (d) => void sent.push(Buffer.from(d)), close: async () => undefined };
    const head = new ScanHeadEmulator(line, { prefix: '', suffix: '\r' });
    await head.scan('6922222222227');
    await head.scan('https://qr.example/p?id=1');
    const framer = new ScanFramer({ prefix: '', suffix: '\r', symbologyIds: 'none', maxLength: 2048 });
    expect(framer.push(Buffer.concat(sent)).map((r) => (r.kind === 'scan' ? r.scan.data : r.reject.reason))).toEqual(['6922222222227', 'https://qr.example/p?id=1']);
  });
});
