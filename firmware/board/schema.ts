// Board config schema: terminal identity, acquirer link, APIs, policies and the devices a board carries.
import { z } from 'zod';
import { devicesSchema, realHardware } from './devices';
import { apiSchema, MAX_TIMER_MS } from './api-schema';

export { apiSchema };

const hostPort = /^[^\s:]+:\d{1,5}$/;
/** Largest host header (TPDU) accepted: far below the link's 8192-byte frame, leaving room for the message. */
const HEADER_MAX_BYTES = 256;
/** Shortest reversal retry delay: faster repeats would hammer a host that is down. */
const RETRY_FLOOR_MS = 100;

export const terminalSchema = z.strictObject({
  merchantName: z.string().min(1).max(40),
  merchantNameZh: z.string().max(20).optional().describe('Merchant name printed on Chinese receipts'),
  merchantId: z.string().regex(/^[0-9A-Za-z ]{15}$/, 'expected 15 characters (ISO 8583 field 42)'),
  terminalId: z.string().regex(/^[0-9A-Za-z]{8}$/, 'expected 8 characters (ISO 8583 field 41)'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 alphabetic code').default('CNY'),
  currencyNumeric: z.string().regex(/^\d{3}$/, 'expected an ISO 4217 numeric code').default('156'),
  language: z.enum(['en', 'zh']).default('en').describe('Receipt and LCD language; zh prints Chinese only on GB18030 printers'),
  receiptFooter: z.string().max(120).default('THANK YOU'),
  mcc: z.string().regex(/^\d{4}$/, 'expected a 4-digit ISO 18245 merchant category code').default('5411').describe('Merchant category code shown in presented QR codes (tag 52)'),
  merchantCity: z.string().regex(/^[\x20-\x7e]{1,15}$/, 'expected 1-15 printable ASCII characters').default('SHANGHAI').describe('City in presented QR codes (tag 60)'),
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code').default('CN'),
});

/** QR payments (docs/host-messages.md): how long the terminal waits for the customer, and the wallet a presented QR is for. */
export const qrSchema = z.strictObject({
  confirmSec: z.number().int().min(5).max(600).default(60).describe('B扫C: how long a customer may confirm on the phone before the payment is revoked (WeChat Pay and Alipay recommend querying for up to about a minute)'),
  presentSec: z.number().int().min(10).max(900).default(120).describe('C扫B: how long a presented QR stays open before the order is closed'),
  defaultWallet: z.enum(['wechat', 'alipay', 'unionpay']).default('unionpay'),
  scanPrefix: z.string().max(8).default('').describe('What the scan head puts before a code (stripped)'),
  scanSuffix: z.string().max(8).default('').describe('What the scan head puts after a code (stripped)'),
});

export const hostSchema = z.strictObject({
  acquirer: z
    .union([z.literal('embedded'), z.string().regex(hostPort, 'expected "embedded" or HOST:PORT')])
    .default('embedded')
    .describe('embedded: start the acquirer simulator in-process (simulator boards); HOST:PORT: connect to that host'),
  connectTimeoutMs: z.number().int().positive().max(MAX_TIMER_MS).default(5000),
  responseTimeoutMs: z.number().int().positive().max(MAX_TIMER_MS).default(15000),
  tls: z.boolean().default(false),
  header: z
    .string()
    .regex(/^([0-9a-fA-F]{2})*$/, 'expected hex bytes')
    .max(2 * HEADER_MAX_BYTES, `expected at most ${HEADER_MAX_BYTES} bytes: the header must leave room for the message in a frame`)
    .default('')
    .describe('TPDU or header bytes sent after the length prefix, as some acquirer specs require'),
  spec: z.string().optional().describe('ISO 8583 spec file; the built-in default spec when absent'),
});

/** Security settings: where the device key lives (docs/keys.md) and the key-block policy. */
export const securitySchema = z.strictObject({
  deviceKeyFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The device key (64 hex digits, mode 0600, made once by `posfw keys init`): it wraps the per-batch data keys that seal card data. ' +
        'A relative path is inside the data folder; $CREDENTIALS_DIRECTORY/NAME reads a systemd credential (TPM-sealed, docs/keys.md). Default: device.key in the data folder',
    ),
  journalKeyFile: z.string().min(1).optional().describe('Older name of deviceKeyFile (boards and installers written before per-batch data keys); same meaning'),
  generateDeviceKey: z
    .boolean()
    .default(false)
    .describe('Simulator and bench boards: create the device key in the data folder at first boot. Refused on a board with real devices'),
  allowLegacyKeyBlocks: z
    .boolean()
    .default(false)
    .describe('posfw keys load-pinpad also accepts TR-31 version A and C key blocks (deprecated TDES key variant binding), for key-injection facilities that still issue them'),
  /** Removed: a key in the board config is no secret. Kept in the schema only to say so clearly. */
  journalKey: z.unknown().optional(),
  // Passwords live hashed in the data folder (firmware/operators), never here: a board file naming one is refused.
  supervisorPassword: z.never({ error: 'passwords are not kept in the board config: operators log in with passwords stored hashed in the data folder (docs/operators.md)' }).optional(),
  cashierPassword: z.never({ error: 'passwords are not kept in the board config: operators log in with passwords stored hashed in the data folder (docs/operators.md)' }).optional(),
});

/** Actions that need the supervisor password at the keypad (the seed: refunds and the like "can be set to need the manager"). */
export const SUPERVISOR_ACTIONS = ['void', 'refund', 'preauth-cancel', 'completion-void', 'settlement', 'settings'] as const;
export type SupervisorAction = (typeof SUPERVISOR_ACTIONS)[number];

/** Cashier login, supervisor authority and lock-out (docs/operators.md). */
export const operatorsSchema = z.strictObject({
  loginRequired: z.boolean().default(true).describe('A cashier logs in with id and password before selling at the keypad; simulator boards may turn it off'),
  factoryPasswords: z.enum(['must-change', 'allowed']).default('must-change').describe('must-change: a factory password works once and must be replaced at that login; allowed: kept (simulator)'),
  autoLogoutMin: z.number().int().min(0).max(1440).default(30).describe('Log the cashier out after this many minutes idle at the keypad; 0 = never'),
  maxAttempts: z.number().int().min(1).max(20).default(3).describe('Wrong passwords in a row before the operator is locked out'),
  lockoutSec: z.number().int().min(1).max(86400).default(60).describe('First lock-out; each further one lasts twice as long'),
  maxLockoutSec: z.number().int().min(1).max(86400).default(3600),
  supervisorFor: z.array(z.enum(SUPERVISOR_ACTIONS)).default([...SUPERVISOR_ACTIONS]).describe('Keypad actions that ask for the supervisor password'),
});

const seconds = (def: number, what: string) => z.number().int().min(1).max(3600).default(def).describe(what);

/** How long a person is waited for before the terminal gives up and goes back to idle (nothing sent, nothing charged). */
export const timeoutsSchema = z.strictObject({
  cardSec: seconds(60, 'Waiting for the card to be swiped'),
  pinSec: seconds(30, 'Waiting for the PIN (or bypass) on the PIN pad'),
  confirmSec: seconds(30, 'Waiting for the operator to confirm a possible duplicate'),
  promptSec: seconds(60, 'Any operator prompt at the keypad (amount entry, menus) before the terminal returns to idle'),
});

export const policySchema = z.strictObject({
  qr: qrSchema.default(qrSchema.parse({})),
  timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
  duplicateWindowSec: z.number().int().min(0).default(120).describe('Same card and amount within this window asks for confirmation'),
  chipCardSwiped: z.enum(['fallback', 'refuse']).default('refuse').describe('Service code 2xx/6xx swiped: allow as fallback, or refuse and ask for the chip'),
  reversalRetryMs: z.number().int().min(RETRY_FLOOR_MS, `expected at least ${RETRY_FLOOR_MS} ms between reversal repeats`).max(MAX_TIMER_MS).default(5000),
  reversalRetryMaxMs: z.number().int().min(RETRY_FLOOR_MS, `expected at least ${RETRY_FLOOR_MS} ms`).max(MAX_TIMER_MS).default(300000),
  preauthHoldDays: z.number().int().min(1).max(90).default(30).describe('Days a pre-authorisation holds funds; completions after that are refused (the host releases the hold)'),
  settlementRetryMs: z.number().int().min(RETRY_FLOOR_MS, `expected at least ${RETRY_FLOOR_MS} ms between settlement repeats`).max(MAX_TIMER_MS).default(10000).describe('First wait before a settlement whose answer was lost is sent again (doubling up to reversalRetryMaxMs)'),
  reversalAlertAfter: z.number().int().min(1).max(100).default(5).describe('Host refusals (12, 25 ...) after which a reversal is in doubt and raised to the operator; it is still retried'),
  receiptCopies: z.enum(['merchant', 'both']).default('both'),
  maxAmount: z.number().int().positive().max(999_999_999_999).default(99_999_999).describe('Largest amount the keypad accepts, in minor units (999,999.99 for CNY)'),
});

/** How the service runs the Node process on the board (rendered into the systemd unit, see firmware/system/runtime-env.ts). */
export const runtimeSchema = z.strictObject({
  oldSpaceMb: z.number().int().min(32).max(4096).default(64).describe("V8 old-space limit (--max-old-space-size): the terminal's long-lived heap; without it V8 grows its heap lazily to hundreds of MB"),
  semiSpaceMb: z.number().int().min(1).max(64).default(4).describe('V8 semi-space size (--max-semi-space-size): the young generation, where a sale\'s short-lived objects live'),
  mallocArenas: z.number().int().min(1).max(64).default(2).describe('glibc malloc arenas (MALLOC_ARENA_MAX): fewer arenas, less memory held by the threads LevelDB and crypto run on'),
});

export const boardSchema = z
  .strictObject({
    $schema: z.string().optional(),
    board: z.strictObject({ name: z.string().min(1), description: z.string().default('') }),
    terminal: terminalSchema,
    host: hostSchema.default(hostSchema.parse({})),
    api: apiSchema.default(apiSchema.parse({})),
    security: securitySchema.default(securitySchema.parse({})),
    policy: policySchema.default(policySchema.parse({})),
    operators: operatorsSchema.default(operatorsSchema.parse({})),
    runtime: runtimeSchema.default(runtimeSchema.parse({})),
    devices: devicesSchema,
  })
  .superRefine((b, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    // Development conveniences (a key made at boot, a clear PIN key) are for simulator and bench boards only.
    const hardware = realHardware(b.devices);
    if (b.security.journalKey !== undefined) {
      issue(['security', 'journalKey'], 'removed: a key written in the board config protects nothing. Card data is sealed under per-batch data keys wrapped by the device key (docs/keys.md): delete journalKey; simulator boards set "generateDeviceKey": true, real boards run posfw keys init');
    }
    if (b.security.deviceKeyFile !== undefined && b.security.journalKeyFile !== undefined) {
      issue(['security', 'journalKeyFile'], 'give deviceKeyFile or its older name journalKeyFile, not both');
    }
    if (b.security.generateDeviceKey && hardware) {
      issue(['security', 'generateDeviceKey'], `a board with real devices (${hardware.what}) gets its device key from posfw keys init, never generated at boot`);
    }
    const pad = b.devices.pinpad;
    const clearKey = pad.driver === 'sim' ? ['devices', 'pinpad', 'initialKey'] : pad.emulate ? ['devices', 'pinpad', 'emulate', 'initialKey'] : undefined;
    if (clearKey && hardware) {
      issue(clearKey, `a clear initial PIN key is a simulator convenience, refused on a board with real devices (${hardware.what}): load the PIN pad from a TR-31 key block (posfw keys load-pinpad)`);
    }
  });

export type BoardConfig = z.infer<typeof boardSchema>;
export type TerminalConfig = BoardConfig['terminal'];
export type HostConfig = BoardConfig['host'];
export type PolicyConfig = BoardConfig['policy'];
export type OperatorsConfig = BoardConfig['operators'];
export type RuntimeConfig = BoardConfig['runtime'];
