// What a board's devices need from the system: the service user's groups, udev rules and systemd device allowances.
import type { BoardConfig } from '../../firmware/board/schema';

/** Groups the service user may join; nothing else is ever granted. */
export const DEVICE_GROUPS = ['dialout', 'gpio', 'i2c', 'plugdev', 'lp'] as const;
export type DeviceGroup = (typeof DEVICE_GROUPS)[number];

export interface DeviceAccess {
  groups: DeviceGroup[];
  /** Lines of /etc/udev/rules.d/60-posfw.rules (comments included). */
  udevRules: string[];
  /** systemd DeviceAllow= values (with DevicePolicy=closed). */
  deviceAllow: string[];
  /** sysfs folders the service must write (legacy sysfs GPIO used by onoff). */
  sysfsWritable: string[];
  /** Native modules the board's drivers need compiled on the board. */
  natives: Array<'epoll' | 'i2c-bus'>;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** Derives device access from a validated board config; sim and network devices need none. */
export function deviceAccess(board: BoardConfig): DeviceAccess {
  const groups = new Set<DeviceGroup>();
  const rules: string[] = [`# posfw device access for board "${board.board.name}" (written by posfw install; do not edit)`];
  const allow = new Set<string>();
  const sysfs = new Set<string>();
  const natives = new Set<'epoll' | 'i2c-bus'>();
  const serial = (cls: string, path: string) => {
    groups.add('dialout');
    allow.add(`${path} rw`);
    const tty = /^\/dev\/(tty[A-Za-z]+\d+)$/.exec(path);
    if (tty) rules.push(`# ${cls}`, `SUBSYSTEM=="tty", KERNEL=="${tty[1]}", GROUP="dialout", MODE="0660"`);
    else rules.push(`# ${cls}: ${path} is not a /dev/ttyXn name; make sure the device behind it belongs to group dialout`);
    allow.add('char-ttyUSB rw').add('char-ttyS rw').add('char-ttyACM rw');
  };
  const hid = (cls: string, vendorId: number, productId: number) => {
    groups.add('plugdev');
    const match = `ATTRS{idVendor}=="${hex4(vendorId)}", ATTRS{idProduct}=="${hex4(productId)}"`;
    rules.push(`# ${cls} (USB HID ${hex4(vendorId)}:${hex4(productId)})`, `SUBSYSTEM=="hidraw", ${match}, GROUP="plugdev", MODE="0660"`, `SUBSYSTEM=="usb", ${match}, GROUP="plugdev", MODE="0660"`);
    allow.add('char-hidraw rw').add('char-usb_device rw');
  };
  const { scanner, magstripe, pinpad, printer, display, keypad } = board.devices;
  if (scanner.driver === 'serial') serial('scanner', scanner.path);
  if (scanner.driver === 'hid') hid('scanner', scanner.vendorId, scanner.productId);
  if (magstripe.driver === 'serial') serial('magstripe', magstripe.path);
  if (magstripe.driver === 'hid') hid('magstripe', magstripe.vendorId, magstripe.productId);
  if (pinpad.driver === 'serial' && !pinpad.emulate) serial('pinpad', pinpad.path);
  if (printer.driver === 'serial') serial('printer', printer.path);
  if (printer.driver === 'usb') {
    groups.add('lp');
    rules.push('# printer (USB printer class)', `SUBSYSTEM=="usbmisc", KERNEL=="lp[0-9]*", GROUP="lp", MODE="0660"`);
    allow.add(`${printer.path} rw`);
  }
  if ((display.driver === 'hd44780-pcf8574' || display.driver === 'ssd1306') && typeof display.bus === 'number') {
    groups.add('i2c');
    natives.add('i2c-bus');
    rules.push(`# display (${display.driver} on I2C bus ${display.bus})`, `SUBSYSTEM=="i2c-dev", KERNEL=="i2c-${display.bus}", GROUP="i2c", MODE="0660"`);
    allow.add(`/dev/i2c-${display.bus} rw`);
  }
  if (keypad.driver === 'gpio-matrix' && keypad.gpio === 'kernel') {
    groups.add('gpio');
    natives.add('epoll');
    rules.push(
      `# keypad (GPIO matrix, lines ${[...keypad.rows, ...keypad.cols].join(' ')}): sysfs GPIO writable by group gpio`,
      `SUBSYSTEM=="gpio", KERNEL=="gpiochip*", ACTION=="add", PROGRAM="/bin/sh -c 'chgrp -R gpio /sys/class/gpio && chmod -R g=u /sys/class/gpio'"`,
      `SUBSYSTEM=="gpio", KERNEL=="gpio*", ACTION=="add", PROGRAM="/bin/sh -c 'chgrp -R gpio /sys%p && chmod -R g=u /sys%p'"`,
    );
    allow.add('char-gpiochip rw');
    sysfs.add('/sys/class/gpio').add('/sys/devices');
  }
  if (groups.size === 0) rules.push('# no local devices: nothing to grant');
  return {
    groups: DEVICE_GROUPS.filter((g) => groups.has(g)),
    udevRules: rules,
    deviceAllow: [...allow],
    sysfsWritable: [...sysfs],
    natives: [...natives],
  };
}

/** systemd-sysusers(8) configuration: the service user and its device groups (created when missing). */
export function sysusersConf(user: string, groups: readonly DeviceGroup[], dataDir: string): string {
  return [
    '# posfw service user and the device groups it joins (written by posfw install)',
    ...groups.map((g) => `g ${g} - -`),
    `u ${user} - "posfw payment terminal" ${dataDir} /usr/sbin/nologin`,
    ...groups.map((g) => `m ${user} ${g}`),
    '',
  ].join('\n');
}
