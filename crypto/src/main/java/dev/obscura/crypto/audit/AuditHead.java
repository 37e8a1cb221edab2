package dev.obscura.crypto.audit;

import java.util.Arrays;
import dev.obscura.core.Hex;
import java.util.Objects;

/**
 * The newest entry of an audit log as a device last saw it: its sequence number and hash. A
 * device that remembers its head can detect that entries up to it were later deleted from the
 * end of the log (tail truncation), which the log alone cannot show. Text form: {@code
 * SEQ:HEX}.
 */
public record AuditHead(long sequence, byte[] hash) {
  public AuditHead {
    Objects.requireNonNull(hash, "hash");
    if (sequence < 0 || hash.length != 32) {
      throw new IllegalArgumentException("need sequence >= 0 and a 32-byte hash");
    }
    hash = hash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** {@code SEQ:HEX}. */
  public String toText() {
    return sequence + ":" + Hex.format(hash);
  }

  /**
   * Parses {@link #toText()}.
   *
   * @throws IllegalArgumentException if it is not {@code SEQ:HEX} with a sequence >= 0 and a
   *     32-byte hash ({@link NumberFormatException} for a bad sequence)
   */
  public static AuditHead parse(String text) {
    int c = text.indexOf(':');
    if (c <= 0) {
      throw new IllegalArgumentException("an audit head is SEQ:HEX");
    }
    return new AuditHead(Long.parseLong(text.substring(0, c)),
        Hex.parse(text.substring(c + 1)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditHead h && h.sequence == sequence && Arrays.equals(h.hash, hash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequence) * 31 + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "AuditHead[" + toText() + "]";
  }
}
