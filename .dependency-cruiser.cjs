// Which way the imports go (docs/architecture.md): checked by `make test` (make deps) so a wrong-way import fails the build.
const layer = (name) => `^firmware/${name}/`;
const any = (...names) => `^firmware/(${names.join('|')})/`;
/** Tests and their fixtures may cross layers (never into the simulator); the rules bind the firmware itself. */
const TESTS = '[.](test|fixtures)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'firmware-not-simulator',
      comment: 'The firmware never imports the simulator: the CLI starts simulators and hands the firmware addresses.',
      severity: 'error',
      from: { path: '^firmware/' },
      to: { path: '^simulator/' },
    },
    {
      name: 'firmware-not-cli-or-tests',
      comment: 'Firmware code never reaches into the CLI, tests or benchmarks (its own *.test.ts may use test fixtures).',
      severity: 'error',
      from: { path: '^firmware/', pathNot: TESTS },
      to: { path: '^(cli|test|bench)/' },
    },
    {
      name: 'common-is-the-floor',
      comment: 'firmware/common (clock, keys, listeners) imports nothing else of the firmware.',
      severity: 'error',
      from: { path: layer('common'), pathNot: TESTS },
      to: { path: '^firmware/', pathNot: layer('common') },
    },
    {
      name: 'board-crypto-low',
      comment: 'Board schemas and crypto sit below the devices and the money.',
      severity: 'error',
      from: { path: any('board', 'crypto'), pathNot: TESTS },
      to: { path: any('hal', 'host', 'journal', 'money', 'flows', 'receipts', 'ui-lcd', 'ecr', 'sim') },
    },
    {
      name: 'keys-below-the-journal',
      comment: 'Device and data keys (firmware/keys) sit beside crypto: the journal and boot use them, they use no device, money or journal code.',
      severity: 'error',
      from: { path: layer('keys'), pathNot: TESTS },
      to: { path: any('hal', 'host', 'journal', 'money', 'flows', 'receipts', 'ui-lcd', 'ecr', 'sim', 'qr') },
    },
    {
      name: 'hal-knows-no-money',
      comment: 'Devices know nothing of money, flows, the journal, the host link or the screens.',
      severity: 'error',
      from: { path: layer('hal'), pathNot: TESTS },
      to: { path: any('money', 'flows', 'journal', 'host', 'receipts', 'ui-lcd', 'ecr', 'sim') },
    },
    {
      name: 'host-touches-no-device',
      comment: 'The host link knows no transaction rules and touches no device.',
      severity: 'error',
      from: { path: layer('host'), pathNot: TESTS },
      to: { path: any('hal', 'flows', 'money', 'receipts', 'ui-lcd', 'ecr', 'sim') },
    },
    {
      name: 'journal-shows-nothing',
      comment: 'The journal shows nothing and touches no device.',
      severity: 'error',
      from: { path: layer('journal'), pathNot: TESTS },
      to: { path: any('hal', 'flows', 'money', 'host', 'receipts', 'ui-lcd', 'ecr', 'sim') },
    },
    {
      name: 'receipts-below-money',
      severity: 'error',
      from: { path: layer('receipts'), pathNot: TESTS },
      to: { path: any('flows', 'money', 'ui-lcd', 'ecr', 'sim') },
    },
    {
      name: 'money-below-flows',
      severity: 'error',
      from: { path: layer('money'), pathNot: TESTS },
      to: { path: any('flows', 'ui-lcd', 'ecr', 'sim') },
    },
    {
      name: 'flows-hold-no-text',
      comment: 'Flows send prompt data; every word a person reads lives in ui-lcd/ and receipts/.',
      severity: 'error',
      from: { path: layer('flows'), pathNot: TESTS },
      to: { path: any('ui-lcd', 'ecr', 'sim') },
    },
    {
      name: 'ui-below-apis',
      comment: 'The UI draws prompts and records (journal/types only); it reaches no money, journal, host or API code.',
      severity: 'error',
      from: { path: layer('ui-lcd'), pathNot: TESTS },
      to: { path: any('ecr', 'sim', 'money', 'journal', 'host', 'operators', 'cashier'), pathNot: '^firmware/journal/types[.]ts$' },
    },
    {
      name: 'operators-stand-alone',
      comment: 'Operator accounts, passwords, lock-out and sessions use only the clock, the board schema and the log: no devices, money or screens.',
      severity: 'error',
      from: { path: layer('operators'), pathNot: TESTS },
      to: { path: '^firmware/', pathNot: '^firmware/(operators|common|board)/|^firmware/log[.]ts$' },
    },
    {
      name: 'cashier-is-wiring',
      comment: 'The keypad services wire the UI to money, journal and operators; only boot (main.ts) uses them.',
      severity: 'error',
      from: { path: '^firmware/', pathNot: `^firmware/(main[.]ts|cashier/)|${TESTS}` },
      to: { path: layer('cashier') },
    },
    {
      name: 'qr-is-pure',
      comment: 'The QR codec and payment-code rules are pure: they import nothing else of the firmware.',
      severity: 'error',
      from: { path: layer('qr'), pathNot: TESTS },
      to: { path: '^firmware/', pathNot: layer('qr') },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(firmware|simulator|cli)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
