// Keypad settings actions: language, date and time, communication test, printer test, device and paper status.
import type { BoardConfig } from '../board/schema';
import type { AdjustableClock } from '../common/adjustable-clock';
import type { DeviceFailure } from '../hal/registry';
import type { ReceiptPrinter } from '../hal/printer/printer';
import type { ReceiptDoc } from '../hal/printer/receipt-doc';
import type { SettingsStore } from '../operators/settings-store';
import type { ReceiptService } from '../receipts/receipt-service';
import type { NetworkResult } from '../flows/network.machine';
import type { Logger } from '../log';
import type { PaperState, UiOutcome } from '../ui-lcd/ports';
import type { Lang } from '../ui-lcd/words';

export interface TerminalActionDeps {
  board: BoardConfig;
  clock: AdjustableClock;
  settings: SettingsStore;
  receipts: ReceiptService;
  printer?: ReceiptPrinter;
  failures: DeviceFailure[];
  log: Logger;
  signOn: () => Promise<NetworkResult>;
  /** True while a transaction runs or settles. */
  busy: () => boolean;
  /** Reversals still waiting for the host. */
  safPending: () => Promise<number>;
}

export function setLanguage(d: TerminalActionDeps, lang: Lang): UiOutcome {
  d.settings.set({ language: lang });
  d.log.info({ language: lang }, 'language set');
  return { ok: true, lang, notice: { kind: 'language', lang } };
}

/**
 * Sets the terminal's wall time. Refused while a transaction runs or a reversal waits: the store-and-forward queue
 * schedules by the clock, and a reversal must never be pushed back by a clock set backwards.
 */
export async function setTime(d: TerminalActionDeps, at: number): Promise<UiOutcome> {
  if (!Number.isFinite(at)) return { ok: false, notice: { kind: 'time-refused', reason: 'invalid' } };
  if (d.busy()) return { ok: false, notice: { kind: 'time-refused', reason: 'busy' } };
  if ((await d.safPending()) > 0) return { ok: false, notice: { kind: 'time-refused', reason: 'saf-pending' } };
  const offset = d.clock.setTime(at);
  d.settings.set({ clockOffsetMs: offset });
  d.log.info({ offsetMs: offset }, 'date and time set');
  return { ok: true, notice: { kind: 'time-set', at: d.clock.now() } };
}

export async function commTest(d: TerminalActionDeps): Promise<UiOutcome> {
  const r = await d.signOn();
  return { ok: true, notice: { kind: 'host', ok: r.ok, responseCode: r.ok ? undefined : r.responseCode, error: r.error } };
}

export async function printerTest(d: TerminalActionDeps): Promise<UiOutcome> {
  const t = d.board.terminal;
  const doc: ReceiptDoc = {
    lines: [
      { type: 'text', text: 'PRINTER TEST', align: 'center', bold: true, size: 'double' },
      { type: 'pair', left: 'TID', right: t.terminalId },
      { type: 'pair', left: 'MID', right: t.merchantId },
      { type: 'text', text: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789' },
      ...(d.receipts.language === 'zh' ? [{ type: 'text' as const, text: '打印测试 中文字库正常' }] : []),
      { type: 'feed', lines: 3 },
      { type: 'cut' },
    ],
  };
  const r = await d.receipts.printDoc(doc);
  return r.printed ? { ok: true, notice: { kind: 'printed' } } : { ok: false, notice: { kind: 'reprint-failed', reason: 'printer not ready' } };
}

export function deviceStatus(d: TerminalActionDeps): UiOutcome {
  const devices = Object.keys(d.board.devices).map((name) => {
    const f = d.failures.find((x) => x.deviceClass === name);
    return { name, ok: !f, code: f?.error.code };
  });
  return { ok: true, notice: { kind: 'devices', devices } };
}

export async function paperStatus(d: TerminalActionDeps): Promise<UiOutcome> {
  let state: PaperState = 'none';
  if (d.printer) {
    const s = await d.printer.status().catch(() => undefined);
    state = !s ? 'fault' : s.state === 'paper-out' ? 'out' : s.state === 'cover-open' ? 'cover-open' : s.state === 'offline' ? 'fault' : s.paperNearEnd ? 'low' : 'ok';
  }
  return { ok: true, notice: { kind: 'paper', state } };
}
