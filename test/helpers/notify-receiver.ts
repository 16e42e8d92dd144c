// A fake systemd NOTIFY_SOCKET: a python3 unix-datagram listener that reports every message it receives.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

const LISTENER = `
import json, os, socket, sys, threading
# Exit when the test process goes away (its end of stdin closes), even if it never called close().
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
addr = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('\\0' + addr[1:] if addr.startswith('@') else addr)
print('LISTENING', flush=True)
while True:
    data = s.recv(65536)
    print(json.dumps(data.decode('utf-8', 'replace')), flush=True)
`;

export interface NotifyReceiver {
  /** NOTIFY_SOCKET value for the sender. */
  address: string;
  /** Every message so far, each as its `NAME=value` lines. */
  messages: string[][];
  /** Resolves with the first message (at index >= `from`) for which `match` is true. */
  waitFor(match: (lines: string[]) => boolean, what: string, opts?: { from?: number; timeoutMs?: number }): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts a listener on `address` (an absolute path, or `@name` for an abstract socket). */
export async function startNotifyReceiver(address: string): Promise<NotifyReceiver> {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const child: ChildProcess = spawn(python, ['-u', '-c', LISTENER, address], { stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: string[][] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line === 'LISTENING') listening();
      else if (line) messages.push((JSON.parse(line) as string).split('\n').filter(Boolean));
    }
    for (const w of [...waiters]) w();
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await Promise.race([ready, exited.then(() => Promise.reject(new Error(`notify receiver on ${address} exited: ${stderr}`)))]);
  return {
    address,
    messages,
    waitFor(match, what, opts = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = messages.slice(opts.from ?? 0).find(match);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages.slice(-10))}`));
        }, opts.timeoutMs ?? 15000);
        waiters.add(check);
        check();
      });
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
