package dev.obscura.crypto.scheme.internal;

import dev.obscura.core.IntegrityException;
import dev.obscura.crypto.scheme.SchemeContext;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The key of a counter-nonce scheme: AES-256-GCM under HKDF(context key, salt, label), with a
 * fresh 16-byte random salt per sealer, so two sealers given the same context never share a
 * (key, nonce) pair even though both count their nonces from 0. The salt travels in the stream's
 * records; an opener pins the first one it authenticated and refuses records of any other salt
 * (another sealer's segments cannot be spliced in). Not thread-safe.
 */
public final class SaltedGcm implements AutoCloseable {
  /** Bytes of the salt. */
  public static final int SALT_BYTES = 16;

  private final SchemeContext context;
  private final String label;
  private byte[] salt;
  private CounterGcm gcm;
  private boolean pinned;

  private SaltedGcm(SchemeContext context, String label) {
    this.context = context;
    this.label = label;
  }

  /**
   * A sealer's key, under a fresh random salt.
   *
   * @param context the stream, key and randomness
   * @param label the scheme's label
   * @return the key; {@link #salt()} is what the records carry
   */
  public static SaltedGcm forSealer(SchemeContext context, String label) {
    SaltedGcm s = new SaltedGcm(context, label);
    byte[] salt = new byte[SALT_BYTES];
    context.entropy().nextBytes(salt);
    s.use(salt);
    s.pinned = true;
    return s;
  }

  /**
   * An opener's key, not known until the first record's salt is read.
   *
   * @param context the stream and key
   * @param label the scheme's label
   * @return the key holder
   */
  public static SaltedGcm forOpener(SchemeContext context, String label) {
    return new SaltedGcm(context, label);
  }

  /** @return the cipher under the salt in use (a sealer's, or the last one an opener read) */
  public CounterGcm cipher() {
    return gcm;
  }

  /** @return a copy of the salt in use */
  public byte[] salt() {
    return salt.clone();
  }

  /**
   * The cipher for the salt at {@code record[offset ..]}: the pinned one, or (before any
   * segment opened) the one this salt derives.
   *
   * @param record the record holding the salt
   * @param offset where the salt starts
   * @return the cipher
   * @throws IntegrityException if the record is too short, or a salt is pinned and this is
   *     another one
   */
  public CounterGcm forSalt(byte[] record, int offset) throws IntegrityException {
    if (record.length - offset < SALT_BYTES) {
      throw new IntegrityException("record is too short to hold its salt");
    }
    byte[] s = Arrays.copyOfRange(record, offset, offset + SALT_BYTES);
    if (salt != null && MessageDigest.isEqual(s, salt)) {
      return gcm;
    }
    if (pinned) {
      throw new IntegrityException("record of another sealer (salt differs from the stream's)");
    }
    use(s);
    return gcm;
  }

  /** Pins the salt in use: called once a segment under it authenticated. */
  public void pin() {
    pinned = salt != null;
  }

  private void use(byte[] s) {
    if (gcm != null) {
      gcm.close();
    }
    byte[] k = SchemeKeys.derive(context, label, s, 32);
    try {
      gcm = new CounterGcm(k);
      salt = s;
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  @Override
  public void close() {
    if (gcm != null) {
      gcm.close();
    }
  }
}
