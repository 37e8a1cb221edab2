package dev.obscura.crypto.sframe;

import java.io.IOException;

/**
 * Durable storage for an {@link SFrameSender}'s counter high-water mark, so that no SFrame CTR is
 * ever used twice under one key, across crashes and restarts (RFC 9605 section 9.1: store the
 * counter before using it).
 *
 * <p>The sender reserves counters in blocks: before it uses any counter {@code c} it has stored a
 * high-water mark {@code h > c}. After a restart it {@link #load() loads} the mark and continues
 * from there, skipping whatever was left of the last block. The per-frame path does no I/O.
 *
 * <p><b>Security guarantees:</b> an implementation must make {@link #store} durable before it
 * returns (for a file: write, fsync, atomic rename), and {@link #load} must never return less than
 * a value that {@code store} has returned for. If it did, a sender would reuse nonces under the
 * same key, which breaks AES-GCM's confidentiality and authenticity.
 *
 * <p><b>Restrictions:</b> one store per sender, and one sender per store at a time. Deleting or
 * rolling back the stored value while the same epoch key is still in use reuses nonces.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (FileCounterStore counters = FileCounterStore.open(dir.resolve("front-door.sframe-ctr"))) {
 *   SFrameSender sender = SFrameSender.builder(epochKey, counters).build();
 *   ...
 * }
 * }</pre>
 */
public interface CounterStore {
  /**
   * The stored high-water mark: no counter at or above it has been used. 0 for a new store.
   *
   * @throws IOException if the value cannot be read or is damaged (never silently 0)
   */
  long load() throws IOException;

  /**
   * Durably records that counters below {@code highWaterMark} may be used. Returns only once the
   * value survives a crash or power loss.
   *
   * @throws IOException if it cannot be made durable; the sender then uses no new counter
   * @throws IllegalArgumentException if {@code highWaterMark} is lower than the stored value
   */
  void store(long highWaterMark) throws IOException;

  /**
   * A store that keeps the value in memory only. <b>Not crash-safe:</b> use it only in tests, or
   * where every start of the sender uses a fresh epoch key that was never used before.
   */
  static CounterStore inMemoryForTests() {
    return new CounterStore() {
      private long value;

      @Override
      public synchronized long load() {
        return value;
      }

      @Override
      public synchronized void store(long highWaterMark) {
        if (highWaterMark < value) {
          throw new IllegalArgumentException("counter high-water mark must not go down");
        }
        value = highWaterMark;
      }

      @Override
      public String toString() {
        return "CounterStore[in memory]";
      }
    };
  }
}
