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
    // The open batch's detail report (GET /v1/reports/detail): transactions that count in its totals wait for settlement.
    const url = `${opts.apiUrl}/v1/reports/detail`;
    try {
      const res = await fetch(url, { signal: signal() });
      const body = res.ok ? ((await res.json()) as { batch?: string; lines?: Array<{ counted?: boolean }> }) : undefined;
      if (!Array.isArray(body?.lines)) return { allowed: false, reason: `cannot tell whether batch ${health.batch} is settled (GET ${url} answered ${res.status}); settle first or update without --require-settled` };
      const open = body.lines.filter((l) => l.counted).length;
      if (open > 0) return { allowed: false, reason: `batch ${body.batch ?? health.batch} is not settled (${open} transaction(s) in its totals); run the settlement first (POST /v1/settlement) or update without --require-settled` };
    } catch (err) {
      return { allowed: false, reason: `cannot tell whether batch ${health.batch} is settled: ${(err as Error).message}` };
    }
  }
  return { allowed: true, reason: 'terminal idle, nothing queued for the host' + (opts.requireSettled ? ', batch settled' : '') };
}
