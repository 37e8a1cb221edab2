package dev.obscura.crypto.roster;

import java.security.MessageDigest;
import dev.obscura.core.Hex;
import java.util.Objects;

/**
 * A roster named by version and digest: what a key envelope says it was wrapped for, and what a
 * device pins as the newest roster it verified.
 */
public record RosterRef(long version, byte[] digest) {
  /** Encoded size: u64 version || 32-byte digest. */
  public static final int ENCODED_BYTES = 40;

  public RosterRef {
    if (version < 1) {
      throw new IllegalArgumentException("a roster version is >= 1");
    }
    Objects.requireNonNull(digest, "digest");
    if (digest.length != 32) {
      throw new IllegalArgumentException("a roster digest is 32 bytes");
    }
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** Whether {@code roster} is the one named. */
  public boolean names(Roster roster) {
    return roster.version() == version && MessageDigest.isEqual(roster.digest(), digest);
  }

  /** u64 version || digest. */
  public byte[] encode() {
    byte[] out = new byte[ENCODED_BYTES];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (version >>> (56 - 8 * i));
    }
    System.arraycopy(digest, 0, out, 8, 32);
    return out;
  }

  /**
   * Decodes {@link #encode()}'s output.
   *
   * @throws IllegalArgumentException if it is not 40 bytes or names version 0 or above 2^63-1
   */
  public static RosterRef decode(byte[] b) {
    if (b.length != ENCODED_BYTES) {
      throw new IllegalArgumentException("a roster reference is 40 bytes");
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    byte[] d = new byte[32];
    System.arraycopy(b, 8, d, 0, 32);
    return new RosterRef(v, d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RosterRef r && r.version == version && MessageDigest.isEqual(r.digest, digest);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + java.util.Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "roster version " + version + " (" + Hex.format(digest, 0, 8) + "...)";
  }
}
