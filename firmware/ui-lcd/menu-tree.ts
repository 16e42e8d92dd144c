// The keypad's menu tree as data: items in order (their number is the shortcut digit), submenus marked with `>`.
import type { WordKey } from './words';
import type { MenuId, ProcId } from './procedures';

export type { MenuId };

export interface MenuItem {
  word: WordKey;
  /** A procedure to run, or a submenu to open. */
  proc?: ProcId;
  menu?: MenuId;
}

export interface Menu {
  title: WordKey;
  items: readonly MenuItem[];
  /** Where CANCEL goes (the main menu goes back to idle). */
  parent?: MenuId;
}

export const MENUS: Readonly<Record<MenuId, Menu>> = {
  main: {
    title: 'menu',
    items: [
      { word: 'sale', proc: 'sale' },
      { word: 'qrSale', proc: 'qr-sale' },
      { word: 'qrPresent', proc: 'qr-present' },
      { word: 'preauthMenu', menu: 'preauth' },
      { word: 'void', proc: 'void' },
      { word: 'refund', proc: 'refund' },
      { word: 'balance', proc: 'balance' },
      { word: 'reprintMenu', menu: 'reprint' },
      { word: 'query', proc: 'query' },
      { word: 'settlement', proc: 'settlement' },
      { word: 'reports', proc: 'reports' },
      { word: 'operatorMenu', menu: 'operator' },
      // The settings menu opens only with the supervisor password (procedure `settings`).
      { word: 'settingsMenu', proc: 'settings' },
    ],
  },
  preauth: {
    title: 'preauth',
    parent: 'main',
    items: [
      { word: 'preauth', proc: 'preauth' },
      { word: 'completion', proc: 'completion' },
      { word: 'preauthCancel', proc: 'preauth-cancel' },
      { word: 'completionVoid', proc: 'completion-void' },
    ],
  },
  reprint: {
    title: 'reprint',
    parent: 'main',
    items: [
      { word: 'reprintLast', proc: 'reprint-last' },
      { word: 'reprintTrace', proc: 'reprint-trace' },
      { word: 'reprintSettlement', proc: 'reprint-settlement' },
    ],
  },
  operator: {
    title: 'operator',
    parent: 'main',
    items: [
      { word: 'login', proc: 'login' },
      { word: 'logout', proc: 'logout' },
      { word: 'changePassword', proc: 'change-password' },
    ],
  },
  settings: {
    title: 'settings',
    parent: 'main',
    items: [
      { word: 'languageMenu', menu: 'language' },
      { word: 'dateTime', proc: 'date-time' },
      { word: 'commTest', proc: 'comm-test' },
      { word: 'printerTest', proc: 'printer-test' },
      { word: 'deviceStatus', proc: 'device-status' },
      { word: 'paperStatus', proc: 'paper-status' },
    ],
  },
  language: {
    title: 'language',
    parent: 'settings',
    items: [
      { word: 'chinese', proc: 'lang-zh' },
      { word: 'english', proc: 'lang-en' },
    ],
  },
};

/**
 * A digit typed in a menu: the item with that number, or `pending` when longer numbers start with it (in the 13-item
 * main menu `1` waits: `1` `OK` is item 1, `1` `2` is item 12). `pending` is the digit typed before, if any.
 */
export function digitPick(menu: Menu, digit: string, pending?: string): { index: number } | { pending: string } | undefined {
  const typed = (pending ?? '') + digit;
  const n = Number(typed);
  if (!Number.isInteger(n) || n < 1 || n > menu.items.length) return undefined;
  const longer = menu.items.length >= n * 10;
  return pending === undefined && longer ? { pending: typed } : { index: n - 1 };
}
