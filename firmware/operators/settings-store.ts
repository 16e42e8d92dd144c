// Settings the supervisor changes at the keypad (display and receipt language, clock adjustment), kept in the data folder.
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file';

export type Language = 'en' | 'zh';

export interface TerminalSettings {
  /** Overrides the board's `terminal.language` once chosen in the settings menu. */
  language?: Language;
  /** Milliseconds added to the board's clock (date and time set in the settings menu). */
  clockOffsetMs?: number;
}

/** `<dataDir>/settings.json`: read once at boot, written on every change. */
export class SettingsStore {
  private readonly file: string;
  private values: TerminalSettings;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json');
    const raw = readJsonFile<TerminalSettings>(this.file) ?? {};
    this.values = {
      language: raw.language === 'en' || raw.language === 'zh' ? raw.language : undefined,
      clockOffsetMs: Number.isFinite(raw.clockOffsetMs) ? raw.clockOffsetMs : undefined,
    };
  }

  get(): Readonly<TerminalSettings> {
    return this.values;
  }

  set(patch: TerminalSettings): void {
    this.values = { ...this.values, ...patch };
    writeJsonFile(this.file, this.values);
  }
}
