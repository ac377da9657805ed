/**
 * A value that must never reach a log line or an HTTP answer (the admin token, the promise secret).
 * JSON serialisation, string conversion and `util.inspect` all print `[redacted]`; only `reveal()` gives
 * the value, so every use of the secret is easy to find.
 */
import { inspect } from 'node:util';

export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
