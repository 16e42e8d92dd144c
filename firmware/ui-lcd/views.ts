// What the screen shows for each UI state, as a view: the machine's context and the terminal's identity turned into data.
import type { DeviceClass } from '../hal/device';
import { currencyExponent } from '../common/currency';
import { shownEntry } from './input';
import { MENUS } from './menu-tree';
import { confirmLines, noticeLines, refusalText } from './notices';
import { PROCEDURES, type Step } from './procedures';
import type { DisplayShape, UiView } from './render';
import { currentStep, stepContext, type UiContext } from './ui.machine';
import { word } from './words';

/** The terminal's identity and state, beside the machine's context. */
export interface ViewInfo {
  merchantName: string;
  /** Shown instead of `merchantName` when the screens are Chinese. */
  merchantNameZh?: string;
  terminalId: string;
  currency: string;
  now: Date;
  failures: Array<{ deviceClass: DeviceClass; code: string }>;
}

export function viewOf(state: string, c: UiContext, info: ViewInfo, shape: DisplayShape): UiView {
  const lang = c.lang;
  const title = c.proc ? word(PROCEDURES[c.proc].title, lang, shape.cols) : '';
  switch (state) {
    case 'faults':
      return { kind: 'faults', failures: info.failures, lang };
    case 'menu': {
      const m = MENUS[c.menu];
      // Items fit the panel after their number (`13 ` takes three columns).
      return { kind: 'menu', title: word(m.title, lang, shape.cols), items: m.items.map((item, i) => word(item.word, lang, shape.cols - String(i + 1).length - 1)), cursor: c.cursor, pending: c.pending };
    }
    case 'task.asking': {
      const s = currentStep(c) as Extract<Step, { kind: 'ask' }>;
      const label = word(s.label, lang, shape.cols);
      if (s.input === 'amount') return { kind: 'amount', title, digits: c.entry, currency: info.currency, exponent: currencyExponent(info.currency), label, lang };
      return { kind: 'input', title, label, shown: shownEntry(s.input, c.entry), lang };
    }
    case 'task.confirming': {
      const s = currentStep(c) as Extract<Step, { kind: 'confirm' }>;
      const v = s.view(stepContext(c));
      return { kind: 'confirm', lines: confirmLines(v, lang, shape.cols), keep: [0, 1] };
    }
    case 'task.next':
    case 'task.acting':
      return { kind: 'working', title, lang };
    case 'starting': {
      const amount = c.values.amount;
      if (amount !== undefined && (c.start?.type === 'sale' || c.start?.type === 'preauth')) {
        return { kind: 'amount', title, digits: amount, currency: info.currency, exponent: currencyExponent(info.currency), lang };
      }
      return { kind: 'working', title, lang };
    }
    case 'running':
    case 'finished':
      if (c.resumed) return { kind: 'resumed', lang };
      if (c.prompt) return { kind: 'prompt', prompt: c.prompt, lang, now: info.now.getTime() };
      break;
    case 'paused':
      return { kind: 'paused', why: c.paused ?? 'fault', lang };
    case 'refused':
      return { kind: 'refused', message: refusalText(c.message ?? '', c.code, lang), lang };
    case 'notice':
      if (c.notice) return { kind: 'notice', lines: noticeLines(c.notice, lang, title || undefined, shape.cols), scroll: c.scroll };
      break;
  }
  const name = lang === 'zh' && info.merchantNameZh ? info.merchantNameZh : info.merchantName;
  return {
    kind: 'idle',
    merchantName: name,
    terminalId: info.terminalId,
    now: info.now,
    faults: info.failures.map((f) => f.deviceClass),
    operator: c.operator?.id,
    loginNeeded: c.loginRequired && !c.operator,
    lang,
  };
}
