// The import rules bite: a throw-away tree with wrong-way imports fails the same dependency-cruiser check make test runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

function cruise(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-deps-'));
  try {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(DEPCRUISE, ['--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err', 'firmware', 'simulator'], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('dependency rules', () => {
  it('pass a tree that follows them', () => {
    const r = cruise({
      'firmware/common/clock.ts': 'export const x = 1;\n',
      'firmware/hal/device.ts': "import { x } from '../common/clock';\nexport const y = x;\n",
      'firmware/flows/txn.ts': "import { y } from '../hal/device';\nexport const z = y;\n",
      'simulator/acquirer.ts': "import { z } from '../firmware/flows/txn';\nexport const w = z;\n",
    });
    expect(r.out).toMatch(/no dependency violations/);
    expect(r.status).toBe(0);
  });

  it('fail on firmware → simulator, hal → money, flows → ui-lcd, host → hal, keys → journal and a cycle, naming each rule', () => {
    const r = cruise({
      'simulator/acquirer.ts': 'export const a = 1;\n',
      'firmware/flows/txn.ts': "import { a } from '../../simulator/acquirer';\nimport { t } from '../ui-lcd/texts';\nexport const b = a + t;\n",
      'firmware/ui-lcd/texts.ts': 'export const t = 2;\n',
      'firmware/money/admission.ts': 'export const m = 3;\n',
      'firmware/hal/device.ts': "import { m } from '../money/admission';\nexport const d = m;\n",
      'firmware/host/link.ts': "import { d } from '../hal/device';\nexport const l = d;\n",
      'firmware/journal/a.ts': "import { j2 } from './b';\nexport const j1 = j2;\n",
      'firmware/keys/data-keys.ts': "import { j1 } from '../journal/a';\nexport const k = j1;\n",
      'firmware/journal/b.ts': "import { j1 } from './a';\nexport const j2 = () => j1;\n",
    });
    expect(r.status).not.toBe(0);
    for (const rule of ['firmware-not-simulator', 'flows-hold-no-text', 'hal-knows-no-money', 'host-touches-no-device', 'keys-below-the-journal', 'no-circular']) expect(r.out).toContain(rule);
  });

  it('fail on ui-lcd → operators, operators → money and anything but boot → cashier', () => {
    const r = cruise({
      'firmware/operators/store.ts': "import { m } from '../money/admission';\nexport const o = m;\n",
      'firmware/money/admission.ts': 'export const m = 3;\n',
      'firmware/ui-lcd/ui.ts': "import { o } from '../operators/store';\nexport const u = o;\n",
      'firmware/cashier/ports.ts': 'export const c = 4;\n',
      'firmware/ecr/routes.ts': "import { c } from '../cashier/ports';\nexport const e = c;\n",
      'firmware/main.ts': "import { c } from './cashier/ports';\nexport const b = c;\n",
      'simulator/peer.ts': 'export const p = 5;\n',
    });
    expect(r.status).not.toBe(0);
    for (const rule of ['ui-below-apis', 'operators-stand-alone', 'cashier-is-wiring']) expect(r.out).toContain(rule);
    expect(r.out).not.toContain('firmware/main.ts');
  });
});
