// A small Server-Sent Events client for tests: reads /v1/events frames as they arrive and waits (bounded) for one that matches.
export interface SseEvent {
  id?: string;
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class SseClient {
  readonly events: SseEvent[] = [];
  private readonly waiters: Array<() => void> = [];
  private closed = false;

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  /** Opens the stream (resolves once the answer's headers arrived). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(res.status, abort);
    if (res.body) void client.read(res.body.getReader());
    return client;
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.take(frame);
        }
      }
    } catch {
      // aborted
    }
    this.closed = true;
    this.waiters.splice(0).forEach((w) => w());
  }

  private take(frame: string): void {
    const e: Partial<SseEvent> = {};
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'id') e.id = value;
      else if (field === 'event') e.event = value;
      else if (field === 'data') data.push(value);
    }
    if (!data.length) return;
    this.events.push({ id: e.id, event: e.event ?? 'message', data: JSON.parse(data.join('\n')) });
    this.waiters.splice(0).forEach((w) => w());
  }

  /** The first event (from `from` on) that matches, waiting up to `timeoutMs`. */
  async next(what: string, match: (e: SseEvent) => boolean, timeoutMs = 5000, from = 0): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(from).find(match);
      if (hit) return hit;
      if (this.closed) throw new Error(`stream closed before ${what}; got ${JSON.stringify(this.events.map((x) => x.data?.data?.state ?? x.event))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events.map((x) => x.data?.data?.state ?? x.event))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  close(): void {
    this.abort.abort();
  }
}
