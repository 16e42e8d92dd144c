// LCD UI controller: owns the display and keypad, shows the idle screen, and routes keys to whoever holds the screen.
import type { Unsubscribe } from '../common/listeners';
import type { KeyEvent } from '../common/keys';
import type { Display, Screen } from '../hal/display/display';
import type { Keypad } from '../hal/keypad/keypad';
import type { DeviceClass } from '../hal/device';
import type { Logger } from '../log';
import { idleScreen } from './screens';

export type KeyHandler = (event: KeyEvent) => void;

export interface UiOptions {
  display?: Display;
  keypad?: Keypad;
  merchantName: string;
  terminalId: string;
  faults: DeviceClass[];
  log: Logger;
  now?: () => Date;
  /** How often the idle clock is redrawn. */
  clockMs?: number;
}

export class Ui {
  private keyHandler: KeyHandler | undefined;
  private idleHandler: KeyHandler | undefined;
  private atIdle = false;
  private clock: NodeJS.Timeout | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private readonly now: () => Date;
  private readonly log: Logger;
  private last: Screen = { lines: [] };

  constructor(private readonly opts: UiOptions) {
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log.child({ ns: 'ui' });
  }

  get rows(): number {
    return this.opts.display?.caps.rows ?? 4;
  }

  get cols(): number {
    return this.opts.display?.caps.cols ?? 20;
  }

  /** Starts routing keys and the idle clock. */
  start(): void {
    this.unsubscribe = this.opts.keypad?.onKey((e) => this.dispatch(e));
    this.clock = setInterval(() => this.atIdle && void this.draw(this.idle()), this.opts.clockMs ?? 15000);
    this.clock.unref();
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.clock) clearInterval(this.clock);
  }

  /** Keys pressed while the idle screen shows go here (the sale/menu starter). */
  onIdleKey(handler: KeyHandler): void {
    this.idleHandler = handler;
  }

  /** Shows a screen and sends keys to `handler` until the next show/showIdle. */
  async show(screen: Screen, handler?: KeyHandler): Promise<void> {
    this.atIdle = false;
    this.keyHandler = handler;
    await this.draw(screen);
  }

  async showIdle(): Promise<void> {
    this.atIdle = true;
    this.keyHandler = undefined;
    await this.draw(this.idle());
  }

  get isIdle(): boolean {
    return this.atIdle;
  }

  /** The screen last drawn (for logs and the console when no display is attached). */
  current(): Screen {
    return this.last;
  }

  private idle(): Screen {
    return idleScreen({ merchantName: this.opts.merchantName, terminalId: this.opts.terminalId, now: this.now(), faults: this.opts.faults }, this.rows);
  }

  private dispatch(event: KeyEvent): void {
    const handler = this.atIdle ? this.idleHandler : this.keyHandler;
    if (!handler) return;
    try {
      handler(event);
    } catch (err) {
      this.log.error({ err }, 'key handler failed');
    }
  }

  private async draw(screen: Screen): Promise<void> {
    this.last = screen;
    if (!this.opts.display) return;
    try {
      await this.opts.display.render(screen);
    } catch (err) {
      this.log.error({ err }, 'display render failed');
    }
  }
}
