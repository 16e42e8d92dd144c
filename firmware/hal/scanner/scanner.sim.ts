// Simulated scan head: the simulator and tests "scan" codes through its control surface.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { SimDevice } from '../sim-device';
import type { BarcodeScanner, ScanEvent, ScanReject } from './scanner';
import type { SimControllable, SimControls } from '../sim-controls';

export const SIM_SCAN_MAX_LENGTH = 2048;

export class SimScanner extends SimDevice implements BarcodeScanner, SimControllable {
  readonly deviceClass = 'scanner';
  private readonly scans = new Listeners<ScanEvent>();
  private readonly rejects = new Listeners<ScanReject>();

  onScan(listener: (scan: ScanEvent) => void): Unsubscribe {
    return this.scans.add(listener);
  }

  onReject(listener: (reject: ScanReject) => void): Unsubscribe {
    return this.rejects.add(listener);
  }

  /** Control surface: the head reads `data`. Applies the same input rules as a real head's decoder. */
  scan(data: string, symbology?: string): void {
    this.requireOpen('scan()');
    if (data.length === 0) return this.rejects.emit({ reason: 'empty', detail: 'empty code' });
    if (data.length > SIM_SCAN_MAX_LENGTH) {
      return this.rejects.emit({ reason: 'overlong', detail: `code of ${data.length} characters exceeds ${SIM_SCAN_MAX_LENGTH}` });
    }
    // GS (0x1d), RS (0x1e) and EOT (0x04) carry structure in GS1 / ISO 15434 codes; other controls are hostile.
    if (/[\x00-\x03\x05-\x1c\x1f\x7f]/.test(data)) {
      return this.rejects.emit({ reason: 'control-characters', detail: 'code contains control characters' });
    }
    this.scans.emit({ data, symbology });
  }

  simControls(): SimControls {
    return { scan: (data) => this.scan(data) };
  }
}

export function createSimScanner(): SimScanner {
  return new SimScanner();
}
