// GPIO seam: the emulator's onoff-shaped lines (levels, edges, export rules) and the chip opener (EDRIVER, ENODEV).
import { GpioEmulator } from './gpio.emul';
import { openGpioChip, type BinaryValue } from './gpio';
import { flushMicrotasks } from '../../common/clock';

describe('GpioEmulator', () => {
  it('drives outputs, reads pulled-up inputs, and tells peers about output changes', () => {
    const gpio = new GpioEmulator();
    const heard: [number, BinaryValue][] = [];
    gpio.onOutput((n, v) => heard.push([n, v]));
    const out = gpio.line(5, 'high');
    const inp = gpio.line(12, 'in');
    expect(gpio.level(5)).toBe(1);
    out.writeSync(0);
    expect(inp.readSync()).toBe(1);
    gpio.setInput(12, 0);
    expect(inp.readSync()).toBe(0);
    expect(heard).toEqual([[5, 1], [5, 0]]);
    expect(() => inp.writeSync(1)).toThrow('EPERM');
  });

  it('calls watchers on the selected edges only, asynchronously like epoll', async () => {
    const gpio = new GpioEmulator();
    const falling = gpio.line(12, 'in', 'falling');
    const both = gpio.line(13, 'in', 'both');
    const seen: string[] = [];
    falling.watch((_e, v) => seen.push(`12:${v}`));
    both.watch((_e, v) => seen.push(`13:${v}`));
    gpio.setInput(12, 0);
    gpio.setInput(12, 1);
    gpio.setInput(13, 0);
    gpio.setInput(13, 0);
    gpio.setInput(13, 1);
    expect(seen).toEqual([]);
    await flushMicrotasks();
    expect(seen).toEqual(['12:0', '13:0', '13:1']);
  });

  it('refuses a second export of a line (EBUSY) and operations after unexport', () => {
    const gpio = new GpioEmulator();
    const line = gpio.line(4, 'in');
    expect(() => gpio.line(4, 'out')).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    line.unexport();
    line.unexport();
    expect(() => line.readSync()).toThrow('EBADF');
    expect(gpio.exported()).toEqual([]);
    expect(gpio.line(4, 'out').direction()).toBe('out');
  });
});

describe('openGpioChip', () => {
  it('takes the emulator from ctx.peers, ENODEV when there is none', () => {
    const gpio = new GpioEmulator();
    expect(openGpioChip('emulated', { peers: new Map([['gpio:emulated', gpio]]) })).toBe(gpio);
    expect(() => openGpioChip('emulated', { peers: new Map() })).toThrow(expect.objectContaining({ code: 'ENODEV' }));
    expect(() => openGpioChip('sysfs' as never, { peers: new Map() })).toThrow(TypeError);
  });

  it('loads onoff lazily for kernel GPIO: EDRIVER when missing, ENODEV without sysfs', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'onoff'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => openGpioChip('kernel', { peers: new Map() }, { load: missing })).toThrow(expect.objectContaining({ code: 'EDRIVER', message: expect.stringContaining('"onoff" is not installed') }));
    const noSysfs = () => ({ Gpio: Object.assign(function Gpio() {}, { accessible: false }) });
    expect(() => openGpioChip('kernel', { peers: new Map() }, { load: noSysfs })).toThrow(expect.objectContaining({ code: 'ENODEV' }));
  });

  it('maps onoff export failures to DeviceError codes', () => {
    class FakeGpio {
      static accessible = true;
      constructor(n: number) {
        throw Object.assign(new Error(`EINVAL ${n}`), { code: n === 1 ? 'EBUSY' : 'EINVAL' });
      }
    }
    const chip = openGpioChip('kernel', { peers: new Map() }, { load: () => ({ Gpio: FakeGpio }) });
    expect(() => chip.line(1, 'in')).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    expect(() => chip.line(2, 'in')).toThrow(expect.objectContaining({ code: 'ENODEV' }));
  });
});
