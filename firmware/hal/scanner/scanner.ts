// BarcodeScanner: the scan-head contract (one decoded code per event).
import type { Unsubscribe } from '../../common/listeners';
import type { Device } from '../device';

export interface ScanEvent {
  /** Decoded code, prefix/suffix and symbology id stripped; GS (0x1d) and RS (0x1e) kept where the symbology uses them. */
  data: string;
  /** Symbology when the scan head reported one (AIM id such as `]Q1` -> `qr`), else undefined. */
  symbology?: string;
}

/** Why a read was rejected (never delivered as a scan). */
export interface ScanReject {
  reason: 'overlong' | 'control-characters' | 'empty' | 'garbled';
  detail: string;
}

export interface BarcodeScanner extends Device {
  readonly deviceClass: 'scanner';
  /** Called once per complete code. */
  onScan(listener: (scan: ScanEvent) => void): Unsubscribe;
  /** Called for reads that were rejected; the bytes are dropped, the driver keeps reading. */
  onReject(listener: (reject: ScanReject) => void): Unsubscribe;
}
