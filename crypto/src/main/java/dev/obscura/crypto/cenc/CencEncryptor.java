package dev.obscura.crypto.cenc;

import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.EntropySource;
import dev.obscura.core.MalformedDataException;
import java.security.Provider;
import java.util.Objects;

/**
 * The {@link CencSampleEncryptor} a CENC MP4 writer uses: {@link Subsamples#forLengthPrefixed}
 * decides what stays clear, {@link CencSampleCipher} encrypts the rest.
 *
 * <p><b>IVs:</b> 8 bytes per sample, a 64-bit counter that starts at a random value and grows by
 * one per sample. As the block counter fills the counter block's other 64 bits, distinct IVs give
 * disjoint key streams, so no two samples under this key share key stream (a random IV per
 * sample would risk a collision after about 2^32 samples; the counter never repeats before 2^64).
 * Two encryptors over one key start at independent random points; use a fresh key per export.
 *
 * <p>Not thread-safe.
 */
public final class CencEncryptor implements CencSampleEncryptor {
  private final CencKey key;
  private final CencSampleCipher cipher;
  private long nextIv;

  /**
   * An encryptor under {@code key}.
   *
   * @param key the content key (the caller keeps ownership)
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @param entropy where the first IV comes from
   */
  public CencEncryptor(CencKey key, Provider provider, EntropySource entropy) {
    this.key = Objects.requireNonNull(key, "key");
    this.cipher = new CencSampleCipher(key, provider);
    byte[] start = new byte[8];
    Objects.requireNonNull(entropy, "entropy").nextBytes(start);
    long v = 0;
    for (byte b : start) {
      v = (v << 8) | (b & 0xff);
    }
    this.nextIv = v;
  }

  @Override
  public byte[] keyId() {
    return key.keyId();
  }

  @Override
  public byte[] encryptSample(byte[] sample, int offset, int length, int nalLengthSize)
      throws MalformedDataException {
    return encrypt(sample, offset, Subsamples.forLengthPrefixed(sample, offset, length, nalLengthSize));
  }

  /**
   * Encrypts, in place, the protected ranges of the bytes {@code map} covers from {@code offset}
   * (a map from {@link Subsamples#forAnnexB} for an Annex B access unit, say), under the next IV,
   * and returns the entry in the same form as {@link #encryptSample}.
   *
   * @param sample the buffer
   * @param offset where the bytes the map covers start
   * @param map what stays clear and what is encrypted
   * @return the IV and the subsample map, as {@code senc} stores them
   * @throws IllegalArgumentException if the map runs past the buffer
   */
  public byte[] encrypt(byte[] sample, int offset, Subsamples map) {
    byte[] entry = new byte[IV_BYTES + map.encodedSize()];
    long v = nextIv++;
    for (int i = 7; i >= 0; i--, v >>>= 8) {
      entry[i] = (byte) v;
    }
    byte[] iv = new byte[IV_BYTES];
    System.arraycopy(entry, 0, iv, 0, IV_BYTES);
    cipher.apply(iv, sample, offset, map);
    map.encodeTo(entry, IV_BYTES);
    return entry;
  }

  @Override
  public String toString() {
    return "CencEncryptor[kid=" + key.keyIdHex() + "]";
  }
}
