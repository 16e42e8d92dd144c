// Fault injection for the acquirer simulator: validated config, seeded PRNG, one reproducible decision per request.
import { mulberry32 } from '../../firmware/common/prng';
import { randomInt } from 'node:crypto';
import { z } from 'zod';

const probability = z.number().min(0).max(1);

/** Body of POST /faults. Probabilities are 0..1; omitted faults are off. */
export const faultConfigSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** Request read but not processed and not answered. */
  dropRequest: probability.optional(),
  /** Processed and posted; no answer sent. */
  dropResponse: probability.optional(),
  /** Processed and posted; answer sent `delayMs` (default 2000) later. */
  delayResponse: probability.optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  /** Processed and posted; half the answer frame written, then the connection closed. */
  disconnectMidReply: probability.optional(),
  /** Processed and posted; a well-framed answer whose content does not decode. */
  garbleReply: probability.optional(),
  /** Answered with `code` instead of processing (financial requests get a declined entry). */
  forceResponseCode: z.strictObject({ code: z.string().regex(/^[0-9A-Z]{2}$/, 'expected a 2-character response code'), probability }).optional(),
  /** Only requests with these MTIs are subject to faults (default: all). */
  onlyMti: z.array(z.string().regex(/^\d{4}$/, 'expected a 4-digit MTI')).optional(),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;

/** What happens to one request. */
export interface FaultDecision {
  dropRequest: boolean;
  forceCode: string | undefined;
  dropResponse: boolean;
  disconnectMidReply: boolean;
  garbleReply: boolean;
  delayMs: number;
}

export const NO_FAULT: Readonly<FaultDecision> = Object.freeze({ dropRequest: false, forceCode: undefined, dropResponse: false, disconnectMidReply: false, garbleReply: false, delayMs: 0 });

/** One decided request, kept for GET /faults. */
export interface FaultEvent {
  n: number;
  mti: string;
  stan: string;
  faults: string[];
}

const HISTORY = 200;
/** Delay used when `delayResponse` is set without `delayMs`. */
export const DEFAULT_DELAY_MS = 2000;

/**
 * Current fault settings and the PRNG. Every request that matches `onlyMti` draws exactly six numbers in a
 * fixed order (drop request, forced code, drop response, disconnect, garble, delay), whichever faults fire,
 * so a seed reproduces the same schedule for the same request sequence.
 */
export class Faults {
  private config: FaultConfig = {};
  private seed = 0;
  private random: () => number = mulberry32(0);
  private decided = 0;
  private history: FaultEvent[] = [];

  /** Replaces the settings (validated by {@link faultConfigSchema}) and restarts the PRNG from the seed (random when absent). */
  set(config: FaultConfig): void {
    const parsed = faultConfigSchema.parse(config);
    this.config = parsed;
    this.seed = parsed.seed ?? randomInt(0, 0x7fffffff);
    this.random = mulberry32(this.seed);
    this.decided = 0;
    this.history = [];
  }

  /** Turns every fault off. */
  clear(): void {
    this.set({ seed: 0 });
    this.config = {};
  }

  /** Whether any fault can fire. */
  get active(): boolean {
    const c = this.config;
    return [c.dropRequest, c.dropResponse, c.delayResponse, c.disconnectMidReply, c.garbleReply, c.forceResponseCode?.probability].some((p) => (p ?? 0) > 0);
  }

  /** Settings, seed in use, and the recent decisions (newest last). */
  view(): { active: boolean; config: FaultConfig; seed: number; decided: number; history: FaultEvent[] } {
    return { active: this.active, config: this.config, seed: this.seed, decided: this.decided, history: [...this.history] };
  }

  /** Decides the faults for one request. Requests outside `onlyMti` (or with no fault configured) draw nothing. */
  decide(mti: string, stan: string): FaultDecision {
    const c = this.config;
    if (!this.active || (c.onlyMti && !c.onlyMti.includes(mti))) return { ...NO_FAULT };
    const hit = (p: number | undefined) => this.random() < (p ?? 0);
    const dropRequest = hit(c.dropRequest);
    const forced = hit(c.forceResponseCode?.probability);
    const dropResponse = hit(c.dropResponse);
    const disconnectMidReply = hit(c.disconnectMidReply);
    const garbleReply = hit(c.garbleReply);
    const delayed = hit(c.delayResponse);
    const d: FaultDecision = {
      dropRequest,
      forceCode: forced && !dropRequest ? c.forceResponseCode?.code : undefined,
      dropResponse: dropResponse && !dropRequest,
      disconnectMidReply: disconnectMidReply && !dropRequest && !dropResponse,
      garbleReply: garbleReply && !dropRequest && !dropResponse && !disconnectMidReply,
      delayMs: delayed && !dropRequest && !dropResponse ? (c.delayMs ?? DEFAULT_DELAY_MS) : 0,
    };
    this.decided += 1;
    const faults = faultNames(d);
    this.history.push({ n: this.decided, mti, stan, faults });
    if (this.history.length > HISTORY) this.history.shift();
    return d;
  }
}

/** Names of the faults that fire in a decision, in application order. */
export function faultNames(d: FaultDecision): string[] {
  const out: string[] = [];
  if (d.dropRequest) out.push('dropRequest');
  if (d.forceCode !== undefined) out.push(`forceResponseCode:${d.forceCode}`);
  if (d.dropResponse) out.push('dropResponse');
  if (d.delayMs > 0) out.push(`delay:${d.delayMs}`);
  if (d.disconnectMidReply) out.push('disconnectMidReply');
  if (d.garbleReply) out.push('garbleReply');
  return out;
}
