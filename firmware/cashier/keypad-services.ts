// The keypad's ports to the terminal: starts through the controller, and every other action (operators, batch, settings).
import type { AdjustableClock } from '../common/adjustable-clock';
import type { FlowController } from '../flows/controller';
import { FlowError } from '../flows/controller';
import { reprint, type ServiceDeps } from '../flows/services';
import { TXN_TYPES, type TxnType } from '../journal/types';
import type { KeypadStart, KeypadType, UiAction, UiOutcome, UiPorts } from '../ui-lcd/ports';
import * as journalActions from './journal-actions';
import * as operatorActions from './operator-actions';
import * as terminalActions from './terminal-actions';

export interface KeypadServiceDeps extends operatorActions.OperatorActionDeps, Omit<journalActions.JournalActionDeps, 'clock'>, terminalActions.TerminalActionDeps {
  clock: AdjustableClock;
  controller: FlowController;
  services: ServiceDeps;
}

/** Transaction types the controller takes today (the QR types arrive with their own issue). */
export function accepts(type: KeypadType): type is TxnType {
  return (TXN_TYPES as readonly string[]).includes(type);
}

/** A keypad start through the controller: refused with a code the UI words (`not-available`, `busy`, admission codes). */
export async function startFromKeypad(controller: FlowController, req: KeypadStart): Promise<void> {
  if (!accepts(req.type)) throw Object.assign(new Error(`${req.type} is not available on this terminal yet`), { code: 'not-available' });
  try {
    await controller.start({ ...req, type: req.type, origin: 'keypad' });
  } catch (err) {
    if (err instanceof FlowError) throw Object.assign(new Error(err.message), { code: err.code });
    throw err;
  }
}

/** Answers one keypad action. Refusals are outcomes; only bugs reject. */
export async function act(d: KeypadServiceDeps, a: UiAction): Promise<UiOutcome> {
  switch (a.kind) {
    case 'login':
      return operatorActions.login(d, a.id, a.password);
    case 'logout':
      return operatorActions.logout(d);
    case 'authorise':
      return operatorActions.authorise(d, a.action, a.password);
    case 'change-password':
      return operatorActions.changePassword(d, a);
    case 'find-original':
      return journalActions.findOriginal(d, a, a.purpose);
    case 'query':
      return journalActions.query(d, a);
    case 'batch':
      return journalActions.batch(d);
    case 'settle':
      return journalActions.settleAndReport(d);
    case 'report':
      return journalActions.report(d);
    case 'reprint': {
      const out = await reprint(d.services, { stan: a.stan });
      return out.ok ? { ok: true } : { ok: false, notice: { kind: 'reprint-failed', reason: out.error ?? 'reprint failed' } };
    }
    case 'reprint-settlement':
      return journalActions.reprintSettlement(d);
    case 'set-language':
      return terminalActions.setLanguage(d, a.lang);
    case 'set-time':
      return terminalActions.setTime(d, a.at);
    case 'sign-on':
      return terminalActions.commTest(d);
    case 'printer-test':
      return terminalActions.printerTest(d);
    case 'device-status':
      return terminalActions.deviceStatus(d);
    case 'paper-status':
      return terminalActions.paperStatus(d);
    case 'not-available':
      return { ok: false, notice: { kind: 'not-available' } };
  }
}

/** The UI's ports, less the prompt stream and the PIN-pad keys main.ts adds. */
export function keypadPorts(d: KeypadServiceDeps): Pick<UiPorts, 'start' | 'act' | 'accepts'> {
  return { start: (req) => startFromKeypad(d.controller, req), act: (a) => act(d, a), accepts };
}
