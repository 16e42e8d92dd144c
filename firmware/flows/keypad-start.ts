// Starting transactions from the terminal itself: a card swiped at idle or the sale key (F1) opens amount entry; MENU lists the rest.
import type { MagstripeReader } from '../hal/magstripe/magstripe';
import type { Logger } from '../log';
import type { Ui } from '../ui-lcd/ui';
import { chooseFromMenu, enterAmount } from '../ui-lcd/amount-entry';
import type { FlowController, StartRequest } from './controller';
import { reprint, type ServiceDeps } from './services';

export interface KeypadStartDeps {
  ui: Ui;
  controller: FlowController;
  magstripe?: MagstripeReader;
  /** Reprint goes through the reprint machine, like the ECR's. */
  services: ServiceDeps;
  currency: string;
  log: Logger;
}

const MENU = ['SALE', 'PRE-AUTH', 'BALANCE', 'REPRINT LAST'] as const;

export function attachKeypadStart(d: KeypadStartDeps): () => void {
  const log = d.log.child({ ns: 'flows.keypad' });
  // No "prompting" flag: amount entry and the menu hold the screen (ui not idle), and an ECR transaction may take it over
  // from them at any time, which would leave such a flag set forever and the keypad dead.

  const begin = async (req: Omit<StartRequest, 'origin'>) => {
    try {
      await d.controller.start({ ...req, origin: 'keypad' });
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'keypad transaction refused');
      await d.ui.show({ lines: ['NOT STARTED', (err as Error).message.slice(0, 40)] });
      setTimeout(() => d.ui.isIdle || d.controller.busy || void d.ui.showIdle(), 3000).unref();
    }
  };

  const withAmount = async (type: 'sale' | 'preauth', title: string, card?: StartRequest['card']) => {
    const amount = await enterAmount(d.ui, title, d.currency);
    if (amount === undefined) return void d.ui.showIdle();
    await begin({ type, amount, card });
  };

  const reprintLast = async () => {
    await d.ui.show({ lines: ['REPRINT', 'PRINTING...'] });
    const out = await reprint(d.services, {});
    if (!out.ok) {
      await d.ui.show({ lines: ['REPRINT FAILED', (out.error ?? '').toUpperCase().slice(0, 40)] });
      await new Promise((r) => setTimeout(r, 2000));
    }
    await d.ui.showIdle();
  };

  d.ui.onIdleKey((e) => {
    if (d.controller.busy) return;
    if (e.key === 'F1') void withAmount('sale', 'SALE');
    if (e.key === 'MENU') {
      void chooseFromMenu(d.ui, 'MENU', [...MENU]).then((i) => {
        if (i === undefined) return void d.ui.showIdle();
        if (MENU[i] === 'SALE') return void withAmount('sale', 'SALE');
        if (MENU[i] === 'PRE-AUTH') return void withAmount('preauth', 'PRE-AUTHORIZATION');
        if (MENU[i] === 'BALANCE') return void begin({ type: 'balance' });
        return void reprintLast();
      });
    }
  });

  // A swipe while the terminal is idle starts a sale with that card; during a flow the flow's own reader listener takes it.
  const off = d.magstripe?.onSwipe((s) => {
    if (s.kind !== 'card' || d.controller.busy || !d.ui.isIdle) return;
    void withAmount('sale', 'SALE', s.card);
  });
  return () => off?.();
}
