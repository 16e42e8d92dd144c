// Bench bus devices: the I2C emulator with the panel on it and the GPIO emulator with the keypad matrix, as boot peers.
import type { BoardConfig } from '../../firmware/board/schema';
import type { Key } from '../../firmware/common/keys';
import { I2cEmulator } from '../../firmware/hal/bus/i2c.emul';
import { I2C_EMULATED_PEER } from '../../firmware/hal/bus/i2c';
import { GpioEmulator } from '../../firmware/hal/bus/gpio.emul';
import { GPIO_EMULATED_PEER } from '../../firmware/hal/bus/gpio';
import type { KeypadControl, LcdView } from '../../firmware/hal/sim-controls';
import { Hd44780Emulator } from '../emulators/hd44780-emul';
import { Ssd1306Emulator } from '../emulators/ssd1306-emul';
import { KeypadMatrixEmulator } from '../emulators/keypad-matrix-emul';
import { hd44780View, ssd1306View } from './lcd-view';
import { MatrixFinger } from './matrix-finger';

export interface BusDevices {
  /** `i2c:emulated` / `gpio:emulated` when the board's display / keypad say so. */
  peers: Map<string, unknown>;
  lcd?: () => LcdView;
  keypad?: KeypadControl;
  hd44780?: Hd44780Emulator;
  ssd1306?: Ssd1306Emulator;
  matrix?: KeypadMatrixEmulator;
  close(): void;
}

/** Builds the emulators for a display on bus "emulated" and a gpio-matrix keypad on gpio "emulated"; no I/O. */
export function createBusDevices(board: BoardConfig): BusDevices {
  const peers = new Map<string, unknown>();
  const out: BusDevices = { peers, close: () => undefined };
  const display = board.devices.display;
  if (display.driver === 'hd44780-pcf8574' && display.bus === 'emulated') {
    // Bus time follows the system clock: the panel counts as powered since the process started (> 40 ms ago).
    const bus = new I2cEmulator();
    const emu = new Hd44780Emulator({ cols: display.cols, rows: display.rows });
    bus.attach(display.address, emu);
    peers.set(I2C_EMULATED_PEER, bus);
    out.hd44780 = emu;
    out.lcd = () => hd44780View(emu);
  } else if (display.driver === 'ssd1306' && display.bus === 'emulated') {
    const bus = new I2cEmulator({ busHz: 400_000 });
    const emu = new Ssd1306Emulator({ height: display.height });
    bus.attach(display.address, emu);
    peers.set(I2C_EMULATED_PEER, bus);
    out.ssd1306 = emu;
    out.lcd = () => ssd1306View(emu);
  }

  const keypad = board.devices.keypad;
  if (keypad.driver === 'gpio-matrix' && keypad.gpio === 'emulated') {
    const gpio = new GpioEmulator();
    const matrix = new KeypadMatrixEmulator(gpio, { rows: keypad.rows, cols: keypad.cols, keymap: keypad.keymap });
    peers.set(GPIO_EMULATED_PEER, gpio);
    const keys = keypad.keymap.flat().filter((k): k is Key => k !== '');
    const finger = new MatrixFinger(gpio, matrix, { rows: keypad.rows, keymap: keypad.keymap, debounceMs: keypad.debounceMs });
    out.matrix = matrix;
    out.keypad = { keys, press: (key) => finger.press(key) };
    out.close = () => matrix.detach();
  }
  return out;
}
