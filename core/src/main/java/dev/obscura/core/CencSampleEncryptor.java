package dev.obscura.core;

/**
 * Encrypts the video samples of an MP4 track for ISO Common Encryption (ISO/IEC 23001-7, scheme
 * {@code cenc}): the small interface through which a CENC MP4 writer (in {@code obscura-codec})
 * uses a sample cipher (in {@code obscura-crypto}) without either module depending on the other.
 *
 * <p>The writer knows boxes; the encryptor knows keys, IVs and which bytes of an H.264 sample
 * stay clear. What the writer needs back is exactly what ISO/IEC 23001-7 stores per sample in the
 * {@code senc} box: the sample's initialization vector and its subsample map.
 */
public interface CencSampleEncryptor {
  /** Bytes of the per-sample IV this encryptor writes (8, as the {@code tenc} box declares). */
  int IV_BYTES = 8;

  /**
   * The default key identifier the writer puts in {@code tenc} (not secret).
   *
   * @return a new 16-byte array
   */
  byte[] keyId();

  /**
   * Encrypts, in place, one H.264 sample made of length-prefixed NAL units (MP4 form), leaving
   * each length prefix and NAL header clear, and returns the sample's {@code senc} entry: the
   * {@value #IV_BYTES}-byte IV, a 16-bit subsample count, then per subsample a 16-bit count of
   * clear bytes and a 32-bit count of protected bytes (all big-endian), the subsamples covering
   * the sample exactly.
   *
   * @param sample the buffer holding the sample
   * @param offset where the sample starts
   * @param length its size in bytes
   * @param nalLengthSize bytes of each NAL length prefix (1, 2 or 4, from {@code avcC})
   * @return the sample's auxiliary information as {@code senc} stores it
   * @throws MalformedDataException if the sample is not a sequence of whole NAL units (it is
   *     then left unchanged)
   */
  byte[] encryptSample(byte[] sample, int offset, int length, int nalLengthSize)
      throws MalformedDataException;
}
