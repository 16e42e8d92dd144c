// Text to HID boot keyboard reports for a layout: the inverse of KeyboardDecoder (HID emulators and the simulator type with it).
import { MOD, USAGE, getLayout, type Layout, type LayoutName, type Level } from './keyboard-layouts';

const LEVEL_MODS: Record<Level, number> = { plain: 0, shift: MOD.LSHIFT, altgr: MOD.RALT };
const LEVELS: Level[] = ['plain', 'shift', 'altgr'];

interface Stroke {
  mods: number;
  usage: number;
}

const isKeypad = (usage: number) => usage >= 0x54 && usage <= 0x63;

function findKey(layout: Layout, c: string, allowDead: boolean): (Stroke & { dead: boolean }) | undefined {
  // the main block first, at any level, then the keypad: that is how a real wedge types
  for (const keypad of [false, true]) {
    for (const level of LEVELS) {
      for (const [usage, entry] of layout) {
        if (isKeypad(usage) !== keypad || entry[level] !== c) continue;
        const dead = entry.dead?.includes(level) === true;
        if (dead && !allowDead) continue;
        return { mods: LEVEL_MODS[level], usage, dead };
      }
    }
  }
  return undefined;
}

/** The keystrokes that type `c`: one key, dead key + Space for an accent, or Ctrl + key for GS/RS/EOT and other C0 codes. */
function strokesFor(layout: Layout, c: string, layoutName: string): Stroke[] {
  if (c === '\n' || c === '\r') return [{ mods: 0, usage: USAGE.ENTER }];
  const code = c.charCodeAt(0);
  if (c.length === 1 && code < 0x20 && c !== '\t') {
    const target = String.fromCharCode(code | 0x40);
    // with Ctrl held a dead key does not wait for a second key (Ctrl+^ on a German board types RS)
    const key = findKey(layout, target.toLowerCase(), true) ?? findKey(layout, target, true);
    if (!key) throw new Error(`keyboard encoder: cannot type control 0x${code.toString(16)} on layout ${layoutName}`);
    return [{ mods: key.mods | MOD.LCTRL, usage: key.usage }];
  }
  const direct = findKey(layout, c, false);
  if (direct) return [direct];
  const dead = findKey(layout, c, true);
  if (dead) return [dead, { mods: 0, usage: USAGE.SPACE }];
  throw new Error(`keyboard encoder: cannot type ${JSON.stringify(c)} on layout ${layoutName}`);
}

/**
 * Boot keyboard reports (8 bytes: modifiers, 0, usage, 0 x5) that type `text` on `layout`: a press then a
 * release report per keystroke. `\n` types Enter. @throws Error for a character the layout cannot type.
 */
export function encodeText(text: string, layoutName: LayoutName): Buffer[] {
  const layout = getLayout(layoutName);
  const reports: Buffer[] = [];
  for (const c of text) {
    for (const s of strokesFor(layout, c, layoutName)) {
      reports.push(Buffer.from([s.mods, 0, s.usage, 0, 0, 0, 0, 0]));
      reports.push(Buffer.alloc(8));
    }
  }
  return reports;
}
