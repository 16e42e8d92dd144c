// Keypad operator actions: log in and out, supervisor authority, password changes; answers as UI outcomes (never the password).
import type { OperatorStore, VerifyResult } from '../operators/operator-store';
import type { Sessions } from '../operators/session';
import type { Logger } from '../log';
import type { SupervisorAction, UiNotice, UiOutcome } from '../ui-lcd/ports';

export interface OperatorActionDeps {
  operators: OperatorStore;
  sessions: Sessions;
  log: Logger;
}

/** A refused check as the notice the cashier sees. */
function refusal(r: Exclude<VerifyResult, { ok: true }>): UiNotice {
  if (r.reason === 'locked') return { kind: 'locked', forMs: r.lockedForMs ?? 0 };
  if (r.reason === 'unknown') return { kind: 'unknown-operator' };
  return { kind: 'wrong-password', attemptsLeft: r.attemptsLeft ?? 0 };
}

export async function login(d: OperatorActionDeps, id: string, password: string): Promise<UiOutcome> {
  const r = await d.operators.verify(id, password);
  if (!r.ok) return { ok: false, notice: refusal(r) };
  // A factory password opens nothing but the screen that replaces it.
  if (r.mustChange) return { ok: true, then: 'first-password', notice: { kind: 'must-change' } };
  d.sessions.begin(r.id, r.role);
  d.log.info({ operator: r.id, role: r.role }, 'operator logged in');
  return { ok: true, session: { id: r.id, role: r.role }, notice: { kind: 'logged-in', id: r.id } };
}

export function logout(d: OperatorActionDeps): UiOutcome {
  const was = d.sessions.end();
  if (was) d.log.info({ operator: was.id }, 'operator logged out');
  return { ok: true, session: null, notice: { kind: 'logged-out', id: was?.id } };
}

export async function authorise(d: OperatorActionDeps, action: SupervisorAction, password: string): Promise<UiOutcome> {
  const r = await d.operators.verifySupervisor(password);
  d.log.info({ action, granted: r.ok }, r.ok ? 'supervisor authorised' : 'supervisor authority refused');
  return r.ok ? { ok: true } : { ok: false, notice: refusal(r) };
}

/** Changes a password (twice typed the same); `login`: the first login with a factory password, which then logs in. */
export async function changePassword(d: OperatorActionDeps, a: { id: string; current: string; next: string; repeat: string; login?: boolean }): Promise<UiOutcome> {
  if (a.next !== a.repeat) return { ok: false, notice: { kind: 'passwords-differ' } };
  const r = await d.operators.changePassword(a.id, a.current, a.next);
  if (!r.ok) return { ok: false, notice: r.reason === 'weak' ? { kind: 'password-weak', why: r.message ?? '' } : refusal({ ok: false, reason: r.reason, attemptsLeft: r.attemptsLeft, lockedForMs: r.lockedForMs }) };
  if (!a.login) return { ok: true, notice: { kind: 'password-changed' } };
  const role = d.operators.role(a.id)!;
  d.sessions.begin(a.id, role);
  d.log.info({ operator: a.id, role }, 'operator logged in (factory password replaced)');
  return { ok: true, session: { id: a.id, role }, notice: { kind: 'password-changed' } };
}
