package dev.obscura.crypto.cenc;

import dev.obscura.crypto.internal.Jca;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ISO/IEC 23001-7 {@code cenc} sample cipher: AES-128 in counter mode over the protected
 * bytes of one sample. The 16-byte counter block is the sample's 8-byte IV followed by a 64-bit
 * block counter that starts at zero; the protected ranges of a sample are one continuous key
 * stream (a range that ends inside an AES block continues that block in the next range), and
 * clear bytes take no key stream. Encryption and decryption are the same operation.
 *
 * <p><b>No integrity:</b> counter mode is malleable. Flipping a ciphertext bit flips the same
 * plaintext bit and nothing detects it; see {@code docs/cenc.md} for how provenance is proved.
 *
 * <p>Not thread-safe: one cipher per thread.
 */
public final class CencSampleCipher {
  /** The JCA transformation looked up through the SDK's one lookup. */
  public static final String TRANSFORMATION = "AES/CTR/NoPadding";

  private final Cipher cipher;
  private final SecretKeySpec key;
  private final byte[] counter = new byte[16];

  /**
   * A cipher for {@code key}.
   *
   * @param key the content key
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @throws IllegalStateException if the provider lacks AES/CTR
   */
  public CencSampleCipher(CencKey key, Provider provider) {
    Objects.requireNonNull(key, "key");
    this.cipher = Jca.cipher(TRANSFORMATION, provider);
    byte[] k = key.key().toByteArray(InsecureSecretAccess.get());
    try {
      this.key = new SecretKeySpec(k, "AES");
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Encrypts or decrypts, in place, the protected ranges of one sample.
   *
   * @param iv the sample's 8-byte IV
   * @param sample the buffer holding the sample
   * @param offset where the sample starts
   * @param map the sample's subsamples; they must cover exactly the bytes that follow {@code offset}
   *     up to the sample's end, so {@code offset + map.totalBytes()} must not pass the buffer's end
   * @throws IllegalArgumentException if the IV is not 8 bytes or the map runs past the buffer
   */
  public void apply(byte[] iv, byte[] sample, int offset, Subsamples map) {
    if (iv.length != 8) {
      throw new IllegalArgumentException("a cenc IV here is 8 bytes, not " + iv.length);
    }
    if (offset < 0 || offset > sample.length - map.totalBytes()) {
      throw new IllegalArgumentException("subsamples run past the buffer");
    }
    if (map.totalProtectedBytes() == 0) {
      return;
    }
    System.arraycopy(iv, 0, counter, 0, 8);
    Arrays.fill(counter, 8, 16, (byte) 0);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
      int p = offset;
      for (int i = 0; i < map.count(); i++) {
        p += map.clearBytes(i);
        int n = map.protectedBytes(i);
        if (n > 0) {
          int done = cipher.update(sample, p, n, sample, p);
          if (done != n) {
            throw new IllegalStateException(Jca.describe(cipher.getProvider())
                + " buffered counter-mode output (" + done + " of " + n + " bytes)");
          }
          p += n;
        }
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException("counter mode refused an in-place update", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(Jca.describe(cipher.getProvider()) + " refused an AES-128 CTR key", e);
    }
  }

  @Override
  public String toString() {
    return "CencSampleCipher[" + TRANSFORMATION + "]";
  }
}
