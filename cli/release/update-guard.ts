// Asks the running terminal whether an update may restart it now: not while money is in flight.
export interface GuardOptions {
  /** The terminal's API, e.g. http://127.0.0.1:8210 (the board's api.port). */
  apiUrl: string;
  /** Also refuse while the current batch holds transactions (not yet settled). */
  requireSettled: boolean;
  timeoutMs?: number;
}

export type GuardVerdict = { allowed: true; reason: string } | { allowed: false; reason: string };

interface Health {
  busy?: boolean;
  safPending?: number;
  batch?: number | string;
  batchCounted?: number;
}

/**
 * Refuses while a transaction runs (`busy`) or reversals/advices wait in the store-and-forward queue
 * (`safPending`), and, with requireSettled, while the open batch has transactions. A terminal that is not
 * running has nothing in flight; one that does not answer sensibly is refused (the caller may force).
 */
export async function checkUpdateAllowed(opts: GuardOptions): Promise<GuardVerdict> {
  const signal = () => AbortSignal.timeout(opts.timeoutMs ?? 3000);
  let health: Health;
  try {
    const res = await fetch(`${opts.apiUrl}/v1/health`, { signal: signal() });
    if (!res.ok) return { allowed: false, reason: `${opts.apiUrl}/v1/health answered ${res.status}; cannot tell whether a transaction is in flight` };
    health = (await res.json()) as Health;
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') return { allowed: true, reason: `terminal not running (${opts.apiUrl} refused the connection): nothing in flight` };
    return { allowed: false, reason: `terminal at ${opts.apiUrl} did not answer (${code ?? (err as Error).message}); cannot tell whether a transaction is in flight` };
  }
  if (health.busy === true) return { allowed: false, reason: 'a transaction is in flight (health: busy); try again when the terminal is idle' };
  if (typeof health.safPending !== 'number') return { allowed: false, reason: 'health has no safPending count; cannot tell whether reversals are pending' };
  if (health.safPending > 0) return { allowed: false, reason: `${health.safPending} reversal/advice message(s) still queued for the host (safPending); wait until the queue is empty` };
  if (opts.requireSettled) {
    // Health counts the transactions in the open batch's totals (they wait for settlement); health is open on loopback.
    if (typeof health.batchCounted !== 'number') return { allowed: false, reason: `health has no batchCounted; cannot tell whether batch ${health.batch} is settled; settle first or update without --require-settled` };
    if (health.batchCounted > 0) return { allowed: false, reason: `batch ${health.batch} is not settled (${health.batchCounted} transaction(s) in its totals); run the settlement first (POST /v1/settlement) or update without --require-settled` };
  }
  return { allowed: true, reason: 'terminal idle, nothing queued for the host' + (opts.requireSettled ? ', batch settled' : '') };
}
