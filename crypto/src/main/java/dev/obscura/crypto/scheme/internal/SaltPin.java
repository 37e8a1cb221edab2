package dev.obscura.crypto.scheme.internal;

import dev.obscura.core.IntegrityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An opener's memory of the per-sealer salt a stream's records carry: the salt of the first
 * segment that authenticated is pinned, and a record with another salt (a segment of another
 * sealer of the same context) is refused. Not thread-safe.
 */
public final class SaltPin {
  private byte[] pinned;

  /**
   * Reads the salt at the start of {@code record} and checks it against the pinned one.
   *
   * @param record a record that starts with a salt of {@code length} bytes
   * @param length the salt's length
   * @return the salt
   * @throws IntegrityException if the record is too short, or a salt is pinned and this is another
   */
  public byte[] read(byte[] record, int length) throws IntegrityException {
    if (record.length < length) {
      throw new IntegrityException("record is too short to hold its salt");
    }
    byte[] s = Arrays.copyOf(record, length);
    if (pinned != null && !MessageDigest.isEqual(s, pinned)) {
      throw new IntegrityException("segment of another sealer (salt differs from the stream's)");
    }
    return s;
  }

  /** @return whether a salt is pinned */
  public boolean isPinned() {
    return pinned != null;
  }

  /**
   * Pins {@code salt} if none is pinned yet (called once a segment under it authenticated).
   *
   * @param salt the salt
   */
  public void pin(byte[] salt) {
    if (pinned == null) {
      pinned = salt.clone();
    }
  }
}
