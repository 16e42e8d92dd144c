// I2C seam: opening emulated and kernel buses (lazy i2c-bus, EDRIVER/ENODEV), and the emulator's NACK and log.
import { DeviceError } from '../device';
import { I2cEmulator } from './i2c.emul';
import { i2cDeviceError, openI2cBus } from './i2c';
import { FakeClock } from '../../common/clock';

const peersWith = (bus: I2cEmulator) => ({ peers: new Map<string, unknown>([['i2c:emulated', bus]]) });
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: DeviceError) => `${e.code}: ${e.message}`);

describe('openI2cBus', () => {
  it('hands out a handle to the emulated bus from ctx.peers', async () => {
    const emu = new I2cEmulator({ clock: new FakeClock() });
    const seen: number[][] = [];
    emu.attach(0x27, { write: (d) => seen.push([...d]) });
    const bus = await openI2cBus('emulated', peersWith(emu));
    await bus.i2cWrite(0x27, 2, Buffer.from([1, 2, 3]));
    await bus.writeByte(0x27, 0x10, 0x20);
    await bus.sendByte(0x27, 0x30);
    expect(seen).toEqual([[1, 2], [0x10, 0x20], [0x30]]);
    expect(emu.transactions(0x27).map((t) => t.data.length)).toEqual([2, 2, 1]);
    await bus.close();
    await expect(bus.sendByte(0x27, 1)).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('rejects with ENODEV when the board says emulated but no emulator is registered', async () => {
    expect(await codeOf(openI2cBus('emulated', { peers: new Map() }))).toMatch(/^ENODEV: .*i2c:emulated/);
  });

  it('throws synchronously for a bad bus number', () => {
    expect(() => openI2cBus(-1, { peers: new Map() })).toThrow('expected a bus number >= 0 or "emulated"');
    expect(() => openI2cBus('1' as never, { peers: new Map() })).toThrow(TypeError);
  });

  it('loads i2c-bus only for a numbered bus: EDRIVER when it is missing', async () => {
    const load = jest.fn(() => {
      throw Object.assign(new Error("Cannot find module 'i2c-bus'"), { code: 'MODULE_NOT_FOUND' });
    });
    expect(await codeOf(openI2cBus(1, { peers: new Map() }, { load }))).toMatch(/^EDRIVER: i2c: cannot open \/dev\/i2c-1: the optional package "i2c-bus" is not installed/);
    expect(load).toHaveBeenCalledWith('i2c-bus');
  });

  it('maps a missing /dev/i2c-N to ENODEV and a permission error to EIO', async () => {
    const fail = (code: string) => () => ({ openPromisified: async () => Promise.reject(Object.assign(new Error(code), { code })) });
    expect(await codeOf(openI2cBus(7, { peers: new Map() }, { load: fail('ENOENT') }))).toMatch(/^ENODEV: i2c: \/dev\/i2c-7 does not exist/);
    expect(await codeOf(openI2cBus(7, { peers: new Map() }, { load: fail('EACCES') }))).toMatch(/^EIO: .*i2c group/);
  });
});

describe('I2cEmulator', () => {
  it('NACKs an address with no device the way i2c-dev does (EREMOTEIO), mapped to ENODEV', async () => {
    const bus = new I2cEmulator({ clock: new FakeClock() }).openBus();
    const err = await bus.i2cWrite(0x3c, 1, Buffer.from([0])).catch((e) => e);
    expect(err).toMatchObject({ code: 'EREMOTEIO', errno: 121, syscall: 'i2cWrite' });
    expect(i2cDeviceError(err, 'ssd1306', 0x3c)).toMatchObject({ code: 'ENODEV', message: expect.stringContaining('0x3c') });
    expect(i2cDeviceError(Object.assign(new Error('t'), { code: 'ETIMEDOUT' }), 'x', 1).code).toBe('ETIMEOUT');
    expect(i2cDeviceError(new Error('odd'), 'x', 1).code).toBe('EIO');
  });

  it('takes bus time: 9 clocks per byte, address byte included', async () => {
    const clock = new FakeClock();
    const emu = new I2cEmulator({ clock, busHz: 100_000 });
    const timings: number[] = [];
    emu.attach(0x27, { write: (_d, t) => timings.push(t.startUs, t.byteUs) });
    await emu.openBus().i2cWrite(0x27, 3, Buffer.from([1, 2, 3]));
    expect(timings).toEqual([90, 90]);
    expect(clock.now()).toBeCloseTo(0.36, 6);
  });

  it('fails the next write with an injected error, once', async () => {
    const emu = new I2cEmulator({ clock: new FakeClock() });
    emu.attach(0x27, { write: () => undefined });
    const bus = emu.openBus();
    emu.failNext(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(bus.sendByte(0x27, 1)).rejects.toMatchObject({ code: 'EIO' });
    await expect(bus.sendByte(0x27, 1)).resolves.toBeUndefined();
    expect(() => emu.attach(0x27, { write: () => undefined })).toThrow('already has a device');
    expect(() => emu.attach(0x80, { write: () => undefined })).toThrow('7-bit address');
  });
});
