// Runs the UI machine on the terminal: keys and swipes in, prompts in, one owner of the display drawing each view.
import { createActor, fromPromise, type Actor } from 'xstate';
import type { Clock } from '../common/clock';
import type { Unsubscribe } from '../common/listeners';
import type { Display, Screen } from '../hal/display/display';
import type { DeviceClass } from '../hal/device';
import type { Keypad } from '../hal/keypad/keypad';
import type { MagstripeReader } from '../hal/magstripe/magstripe';
import type { Logger } from '../log';
import type { KeypadStart, KeypadType, SupervisorAction, UiAction, UiOutcome, UiPorts } from './ports';
import { render, type DisplayShape } from './render';
import type { PrinterPause } from './texts';
import { operatorActivity, stateName, uiMachine } from './ui.machine';
import { viewOf } from './views';
import type { Lang } from './words';

export type { UiPorts };

export interface LcdUiOptions {
  display?: Display;
  keypad?: Keypad;
  magstripe?: MagstripeReader;
  clock: Clock;
  merchantName: string;
  merchantNameZh?: string;
  terminalId: string;
  currency: string;
  failures: Array<{ deviceClass: DeviceClass; code: string }>;
  promptMs: number;
  messageMs?: number;
  /** How often the idle clock is redrawn. */
  clockMs?: number;
  /** Language chosen for the terminal (board or settings); Chinese shows only on graphic panels. */
  language?: Lang;
  loginRequired?: boolean;
  autoLogoutMs?: number;
  maxAmount?: number;
  supervisorFor?: readonly SupervisorAction[];
  log: Logger;
}

/** Chinese needs a graphic panel (a bitmap CJK font); character LCDs show English. */
export function displayLanguage(lang: Lang | undefined, graphic: boolean): Lang {
  return lang === 'zh' && graphic ? 'zh' : 'en';
}

const ALL_TYPES: readonly KeypadType[] = ['sale', 'preauth', 'completion', 'void', 'refund', 'balance', 'qr-sale', 'qr-present'];

export class LcdUi {
  private actor: Actor<typeof uiMachine> | undefined;
  private readonly offs: Unsubscribe[] = [];
  private last: Screen = { lines: [] };
  private drawing: Promise<void> = Promise.resolve();
  private tick: unknown;
  private readonly log: Logger;

  constructor(private readonly opts: LcdUiOptions) {
    this.log = opts.log.child({ ns: 'ui' });
  }

  private get graphic(): boolean {
    return this.opts.display?.caps.kind === 'graphic';
  }

  /** The panel as the screens are laid out: Chinese lines are 16 px high and characters 16 px wide on graphic panels. */
  get shape(): DisplayShape {
    const caps = this.opts.display?.caps;
    if (caps?.kind === 'graphic' && this.lang === 'zh') return { cols: Math.floor(caps.width / 8), rows: Math.floor(caps.height / 16), graphic: true, narrowCols: caps.cols };
    return { cols: caps?.cols ?? 20, rows: caps?.rows ?? 4, graphic: caps?.kind === 'graphic' };
  }

  /** The language the screens are drawn in now. */
  get lang(): Lang {
    return this.actor?.getSnapshot().context.lang ?? displayLanguage(this.opts.language, this.graphic);
  }

  /** Starts the machine, routes keys, idle swipes and transaction prompts to it, and draws every view. */
  start(ports: UiPorts): void {
    const act = async (action: UiAction): Promise<UiOutcome> => {
      const out = await ports.act(action);
      return out.lang ? { ...out, lang: displayLanguage(out.lang, this.graphic) } : out;
    };
    const machine = uiMachine.provide({
      actors: {
        startTxn: fromPromise<void, KeypadStart>(({ input }) => ports.start(input)),
        act: fromPromise<UiOutcome, UiAction>(({ input }) => (input.kind === 'reprint' && input.stan === undefined ? this.reprintLast(ports) : act(input))),
      },
      actions: {
        forwardToTxn: (_, params: { key: 'CANCEL' | 'OK' }) => ports.press(params.key),
        endSession: () => void ports.act({ kind: 'logout' }).catch((err) => this.log.error({ err }, 'auto-logout failed')),
      },
    });
    const o = this.opts;
    const actor = createActor(machine, {
      input: {
        faults: o.failures.length > 0,
        promptMs: o.promptMs,
        messageMs: o.messageMs ?? 3000,
        loginRequired: o.loginRequired ?? false,
        autoLogoutMs: o.autoLogoutMs ?? 0,
        maxAmount: o.maxAmount ?? 99_999_999,
        supervisorFor: o.supervisorFor ?? [],
        accepts: ALL_TYPES.filter((t) => ports.accepts(t)),
        lang: displayLanguage(o.language, this.graphic),
      },
      clock: o.clock,
    });
    this.actor = actor;
    actor.subscribe({ next: () => this.draw(), error: (err) => this.log.error({ err }, 'ui machine failed') });
    actor.start();
    const keys = o.keypad?.onKey((e) => actor.send({ type: 'KEY', key: e.key }));
    const swipes = o.magstripe?.onSwipe((s) => s.kind === 'card' && this.takesSwipe() && actor.send({ type: 'SWIPE', card: s.card }));
    this.offs.push(
      ports.onPrompt((prompt) => {
        actor.send({ type: 'PROMPT', prompt });
        // A countdown starts at once rather than at the next idle-clock tick.
        if (prompt.kind === 'awaiting-customer') {
          if (this.tick !== undefined) this.opts.clock.clearTimeout(this.tick);
          this.scheduleTick();
        }
      }),
    );
    if (keys) this.offs.push(keys);
    if (swipes) this.offs.push(swipes);
    this.scheduleTick();
  }

  /** Reprint of the last slip keeps its own port (the ECR and the keypad share it). */
  private async reprintLast(ports: UiPorts): Promise<UiOutcome> {
    const r = await ports.reprintLast();
    return r.error ? { ok: false, notice: { kind: 'reprint-failed', reason: r.error } } : { ok: true };
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.tick !== undefined) this.opts.clock.clearTimeout(this.tick);
    this.actor?.stop();
  }

  printerPaused(why: PrinterPause): void {
    this.actor?.send({ type: 'PRINTER_PAUSED', why });
  }

  printerResumed(): void {
    this.actor?.send({ type: 'PRINTER_RESUMED' });
  }

  /** The UI state's name (`idle`, `menu`, `task.asking`, `running`, ...). */
  get state(): string {
    const v = this.actor?.getSnapshot().value;
    return v === undefined ? 'boot' : stateName(v);
  }

  get isIdle(): boolean {
    return this.state === 'idle';
  }

  /** The operator logged in at the keypad, if any. */
  get operator(): string | undefined {
    return this.actor?.getSnapshot().context.operator?.id;
  }

  /** What the cashier is in the middle of (an ECR request is then refused as busy), if anything. */
  activity(): string | undefined {
    return operatorActivity(this.state, this.actor?.getSnapshot().context);
  }

  /** The screen last drawn (for logs and the console when no display is attached). */
  current(): Screen {
    return this.last;
  }

  /** Resolves once every screen drawn so far reached the panel. */
  settled(): Promise<void> {
    return this.drawing;
  }

  /** A swipe starts a sale at idle, or gives the card to a sale whose amount is being typed. */
  private takesSwipe(): boolean {
    const s = this.state;
    const c = this.actor?.getSnapshot().context;
    return s === 'idle' || (s === 'task.asking' && c?.proc === 'sale' && !c.card);
  }

  private draw(): void {
    const snap = this.actor?.getSnapshot();
    if (!snap) return;
    const o = this.opts;
    const info = { merchantName: o.merchantName, merchantNameZh: o.merchantNameZh, terminalId: o.terminalId, currency: o.currency, now: new Date(o.clock.now()), failures: o.failures };
    const shape = this.shape;
    const screen = render(viewOf(stateName(snap.value), snap.context, info, shape), shape);
    if (JSON.stringify(screen) === JSON.stringify(this.last)) return;
    this.last = screen;
    const display = o.display;
    if (!display) return;
    // One owner, one queue: screens reach the panel in the order they were decided.
    this.drawing = this.drawing.then(() => display.render(screen)).catch((err) => this.log.error({ err }, 'display render failed'));
  }

  /** Redraws the idle clock, and a countdown each second while a QR customer is waited for. */
  private scheduleTick(): void {
    const counting = () => this.actor?.getSnapshot().context.prompt?.kind === 'awaiting-customer' && this.state === 'running';
    this.tick = this.opts.clock.setTimeout(
      () => {
        if (this.isIdle || counting()) this.draw();
        this.scheduleTick();
      },
      counting() ? 1000 : (this.opts.clockMs ?? 15000),
    );
  }
}
