// Command-line number parsing shared by the commands: bad values are usage errors (exit 2) that say what was expected.
import { InvalidArgumentError } from 'commander';

/** A commander argParser for whole numbers in [min, max]. */
export function intOption(what: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected ${what} (a whole number ${min}..${max}), got ${JSON.stringify(value)}`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected ${what} in ${min}..${max}, got ${n}`);
    return n;
  };
}

export const portOption = intOption('a TCP port', 0, 65535);
