// Listener sets with safe emit, shared by drivers and the host link.

export type Unsubscribe = () => void;

/** A set of listeners with safe emit (a throwing listener does not stop the others). */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): Unsubscribe {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(value: T): void {
    for (const l of [...this.set]) {
      try {
        l(value);
      } catch {
        // a faulty listener must not break the device's event loop
      }
    }
  }
  get size(): number {
    return this.set.size;
  }
  clear(): void {
    this.set.clear();
  }
}
