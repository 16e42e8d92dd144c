// Who may call the API: API keys with roles (Authorization: Bearer), loopback without a key where the board allows it, Host checked.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopbackAddress } from '../board/api-schema';
import { roleAllows, type ApiKeyStore, type Role } from './api-keys';
import { HttpError } from './http';
import type { RateLimiter } from './rate-limit';

/**
 * What a route needs: a role; `public` (the API description); `health` (loopback callers without a key, for the
 * update guard and monitoring on the board itself, with the Host checked; everyone else with any key).
 */
export type RouteAccess = Role | 'public' | 'health';

/** Who a request comes from. */
export interface Principal {
  role: Role;
  /** The key's name, or `loopback`. */
  name: string;
  via: 'key' | 'loopback';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export interface AccessOptions {
  keys: ApiKeyStore;
  /** Board `api.loopbackWithoutKey`: loopback callers act as supervisor without a key (simulator boards). */
  loopbackWithoutKey: boolean;
  /** Failed key checks per client address (each costs an scrypt). */
  failures: RateLimiter;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The host name of a Host header (`[::1]:8210` → `::1`), lower case. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return h.split(':')[0];
}

/** A Host header that names loopback: `localhost`, 127.0.0.0/8 or `[::1]`, any port. DNS rebinding names anything else. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = hostName(host);
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

/** An Origin a browser on this machine would send for a loopback page (or none: not a browser). */
function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.host);
  } catch {
    return false;
  }
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer realm="posfw"' });

/** Refuses with 403 unless the request's principal holds `role` (routes whose role depends on the body call this). */
export function requireRole(req: FastifyRequest, role: Role, what: string): void {
  const p = req.principal;
  if (p && !roleAllows(p.role, role)) throw new HttpError(403, 'forbidden', `${what} needs the ${role} role; key "${p.name}" is ${p.role}`);
}

async function byKey(req: FastifyRequest, header: string, o: AccessOptions): Promise<Principal> {
  const m = BEARER.exec(header);
  if (!m) throw unauthorized('the Authorization header must be "Bearer <API key>"');
  const client = req.socket.remoteAddress ?? '';
  const wait = o.failures.peek(client);
  if (wait > 0) throw new HttpError(429, 'rate-limited', `too many invalid API keys from ${client}; retry in ${wait} s`, undefined, { 'Retry-After': String(wait) });
  const key = await o.keys.verify(m[1]);
  if (!key) {
    o.failures.take(client);
    throw unauthorized('the API key is not valid (unknown, revoked or mistyped)');
  }
  return { role: key.role, name: key.name, via: 'key' };
}

function byLoopback(req: FastifyRequest): Principal {
  if (!isLoopbackHost(req.headers.host)) {
    throw new HttpError(403, 'forbidden-host', `requests without an API key must name this machine in Host (localhost, 127.0.0.1 or [::1]), not "${String(req.headers.host ?? '').slice(0, 100)}"`);
  }
  if (!isLoopbackOrigin(req.headers.origin)) {
    throw new HttpError(403, 'forbidden-origin', `requests without an API key are not taken from web pages of other origins ("${String(req.headers.origin).slice(0, 100)}")`);
  }
  return { role: 'supervisor', name: 'loopback', via: 'loopback' };
}

/** Who is calling, or throws 401 / 403 / 429. */
export async function authenticate(req: FastifyRequest, access: RouteAccess, o: AccessOptions): Promise<Principal> {
  const header = req.headers.authorization;
  if (header !== undefined) return byKey(req, header, o);
  const loopback = isLoopbackAddress(req.socket.remoteAddress);
  if (loopback && (o.loopbackWithoutKey || access === 'health')) {
    const p = byLoopback(req);
    return access === 'health' && !o.loopbackWithoutKey ? { ...p, role: 'cashier' } : p;
  }
  throw unauthorized(loopback ? 'an API key is required on this terminal (Authorization: Bearer <key>; posfw api-keys add)' : 'an API key is required (Authorization: Bearer <key>)');
}

/**
 * Checks every request before its route runs: routes name what they need with `config: { access }` (default
 * supervisor, so a route that forgot is closed, not open); unknown routes need any valid caller.
 */
export function installAccess(app: FastifyInstance, o: AccessOptions): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req) => {
    const matched = req.routeOptions.url !== undefined;
    const access: RouteAccess = matched ? (req.routeOptions.config?.access ?? 'supervisor') : 'cashier';
    if (access === 'public') return;
    req.principal = await authenticate(req, access, o);
    if (access !== 'health') requireRole(req, access, `${req.method} ${req.routeOptions.url ?? req.url}`);
  });
}
