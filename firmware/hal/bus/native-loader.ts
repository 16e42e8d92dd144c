// Lazy loader for optional native bus modules (i2c-bus, onoff): loaded only when a board names them, EDRIVER if missing.
import { DeviceError } from '../device';

/** Loads a module by name; tests inject one that throws to check the missing-module path. */
export type ModuleLoader = (name: string) => unknown;

export const nodeRequire: ModuleLoader = (name) => require(name);

/**
 * Requires an optional native module. Rejects nothing, throws DeviceError EDRIVER naming the package and why
 * (not installed, or built for another Node/platform) so `posfw run` can tell the integrator what to install.
 */
export function loadOptional<T>(name: string, purpose: string, load: ModuleLoader = nodeRequire): T {
  try {
    return load(name) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'MODULE_NOT_FOUND'
        ? `the optional package "${name}" is not installed (it builds on Linux only: npm install ${name})`
        : `the optional package "${name}" failed to load (${(err as Error).message})`;
    throw new DeviceError('EDRIVER', `${purpose}: ${why}`, { cause: err });
  }
}
