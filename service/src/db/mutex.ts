/**
 * A FIFO async mutex. SQLite under typeorm runs every query on ONE shared connection, so two interleaved
 * transactions would see each other's uncommitted writes (and a rollback would undo both); the database
 * layer therefore runs every SQLite operation under this lock, one after the other.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
