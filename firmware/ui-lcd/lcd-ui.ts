// Runs the UI machine on the terminal: keys and swipes in, prompts in, one owner of the display drawing each view.
import { createActor, fromPromise, type Actor } from 'xstate';
import type { Clock } from '../common/clock';
import type { Unsubscribe } from '../common/listeners';
import type { Display, Screen } from '../hal/display/display';
import type { DeviceClass } from '../hal/device';
import type { Keypad } from '../hal/keypad/keypad';
import type { MagstripeReader } from '../hal/magstripe/magstripe';
import type { Prompt } from '../flows/prompts';
import type { Logger } from '../log';
import { render, type DisplayShape, type UiView } from './render';
import { MENU_ITEMS, type PrinterPause } from './texts';
import { operatorActivity, uiMachine, type KeypadStart, type UiContext } from './ui.machine';

/** What the UI needs from the rest of the terminal (wired in main.ts). */
export interface UiPorts {
  /** Starts a keypad transaction; rejects with the reason it was refused. */
  start(req: KeypadStart): Promise<void>;
  /** CANCEL or OK for the running transaction. */
  press(key: 'CANCEL' | 'OK'): void;
  /** Reprints the last slip; resolves with the error when it could not. */
  reprintLast(): Promise<{ error?: string }>;
  /** Prompts of running transactions. */
  onPrompt(listener: (p: Prompt) => void): Unsubscribe;
}

export interface LcdUiOptions {
  display?: Display;
  keypad?: Keypad;
  magstripe?: MagstripeReader;
  clock: Clock;
  merchantName: string;
  terminalId: string;
  currency: string;
  failures: Array<{ deviceClass: DeviceClass; code: string }>;
  promptMs: number;
  messageMs?: number;
  /** How often the idle clock is redrawn. */
  clockMs?: number;
  log: Logger;
}

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

  get shape(): DisplayShape {
    const caps = this.opts.display?.caps;
    return { cols: caps?.cols ?? 20, rows: caps?.rows ?? 4, graphic: caps?.kind === 'graphic' };
  }

  /** Starts the machine, routes keys, idle swipes and transaction prompts to it, and draws every view. */
  start(ports: UiPorts): void {
    const machine = uiMachine.provide({
      actors: {
        startTxn: fromPromise<void, KeypadStart>(({ input }) => ports.start(input)),
        reprintLast: fromPromise<{ error?: string }, void>(() => ports.reprintLast()),
      },
      actions: { forwardToTxn: (_, params: { key: 'CANCEL' | 'OK' }) => ports.press(params.key) },
    });
    const actor = createActor(machine, {
      input: { faults: this.opts.failures.length > 0, promptMs: this.opts.promptMs, messageMs: this.opts.messageMs ?? 3000 },
      clock: this.opts.clock,
    });
    this.actor = actor;
    actor.subscribe({ next: () => this.draw(), error: (err) => this.log.error({ err }, 'ui machine failed') });
    actor.start();
    const keys = this.opts.keypad?.onKey((e) => actor.send({ type: 'KEY', key: e.key }));
    const swipes = this.opts.magstripe?.onSwipe((s) => s.kind === 'card' && this.state === 'idle' && actor.send({ type: 'SWIPE', card: s.card }));
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

  /** The UI state's name (`idle`, `menu`, `amount`, `running`, ...). */
  get state(): string {
    return String(this.actor?.getSnapshot().value ?? 'boot');
  }

  get isIdle(): boolean {
    return this.state === 'idle';
  }

  /** What the cashier is in the middle of (an ECR request is then refused as busy), if anything. */
  activity(): string | undefined {
    return operatorActivity(this.state);
  }

  /** The screen last drawn (for logs and the console when no display is attached). */
  current(): Screen {
    return this.last;
  }

  /** Resolves once every screen drawn so far reached the panel. */
  settled(): Promise<void> {
    return this.drawing;
  }

  private view(state: string, c: UiContext): UiView {
    const o = this.opts;
    switch (state) {
      case 'faults':
        return { kind: 'faults', failures: o.failures };
      case 'menu':
        return { kind: 'menu', title: 'MENU', items: MENU_ITEMS, cursor: c.cursor };
      case 'amount':
      case 'starting':
        if (c.startType !== 'balance') return { kind: 'amount', title: c.startType === 'preauth' ? 'PRE-AUTHORIZATION' : 'SALE', digits: c.digits, currency: o.currency };
        break;
      case 'running':
      case 'finished':
        if (c.resumed) return { kind: 'resumed' };
        if (c.prompt) return { kind: 'prompt', prompt: c.prompt, now: o.clock.now() };
        break;
      case 'paused':
        return { kind: 'paused', why: c.paused ?? 'fault' };
      case 'refused':
        return { kind: 'refused', message: c.message ?? '' };
      case 'reprinting':
        return { kind: 'reprint' };
      case 'reprintFailed':
        return { kind: 'reprint', failed: c.message ?? '' };
    }
    return { kind: 'idle', merchantName: o.merchantName, terminalId: o.terminalId, now: new Date(o.clock.now()), faults: o.failures.map((f) => f.deviceClass) };
  }

  private draw(): void {
    const snap = this.actor?.getSnapshot();
    if (!snap) return;
    const screen = render(this.view(String(snap.value), snap.context), this.shape);
    if (JSON.stringify(screen) === JSON.stringify(this.last)) return;
    this.last = screen;
    const display = this.opts.display;
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
