// Shared tail of every real scan-head driver: delivers decoded codes and rejects to listeners, and logs them (no data).
import { Listeners, type Unsubscribe } from '../../common/listeners';
import type { Logger } from '../../log';
import type { ScanEvent, ScanReject } from './scanner';
import type { ScanResult } from './scanner-decode';

export class ScanOutput {
  private readonly scans = new Listeners<ScanEvent>();
  private readonly rejects = new Listeners<ScanReject>();

  constructor(private readonly log: Logger) {}

  onScan(listener: (scan: ScanEvent) => void): Unsubscribe {
    return this.scans.add(listener);
  }

  onReject(listener: (reject: ScanReject) => void): Unsubscribe {
    return this.rejects.add(listener);
  }

  deliver(results: ScanResult[]): void {
    for (const r of results) {
      if (r.kind === 'scan') {
        this.log.debug({ symbology: r.scan.symbology, length: r.scan.data.length }, 'scan');
        this.scans.emit(r.scan);
      } else {
        this.log.warn({ reason: r.reject.reason, detail: r.reject.detail }, 'scan rejected');
        this.rejects.emit(r.reject);
      }
    }
  }
}
