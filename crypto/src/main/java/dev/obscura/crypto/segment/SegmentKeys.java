package dev.obscura.crypto.segment;

import dev.obscura.core.SegmentId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import dev.obscura.crypto.internal.Hkdf;

/**
 * Derives the key of one segment from its epoch key.
 *
 * <pre>
 * segment key = HKDF-SHA-256(IKM = epoch key (32 bytes), salt = empty,
 *     info = "obscura/v1 segment" || u8 len(stream id) || stream id (ASCII) || u64be(sequence),
 *     L = suite key size (32 for suite 1, 16 for suite 2))
 * </pre>
 *
 * <p><b>Security guarantees:</b> HKDF is a PRF in its info, so a segment key reveals nothing about
 * the epoch key or any other segment's key: a share grant can hand out single segment keys.
 *
 * <p><b>Restrictions:</b> the returned secret belongs to the caller, who should {@link
 * SecretBytes#destroy()} it after use.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * SecretBytes k = SegmentKeys.derive(epochKey, new SegmentId(stream, 42), SealingSuite.AES_256_GCM);
 * OpenedSegment s = new SegmentOpener().openWithSegmentKey(sealed, k);
 * k.destroy();
 * }</pre>
 */
public final class SegmentKeys {
  static final byte[] LABEL = "obscura/v1 segment".getBytes(StandardCharsets.US_ASCII);

  private SegmentKeys() {}

  /**
   * The key of segment {@code id}.
   *
   * @throws IllegalArgumentException if the epoch key is not for {@code id}'s stream
   * @throws IllegalStateException if the epoch key was destroyed
   */
  public static SecretBytes derive(EpochKey epochKey, SegmentId id, SealingSuite suite) {
    return new Deriver().derive(epochKey, id, suite);
  }

  /**
   * The same derivation with one reused HKDF ({@link Hkdf}, one {@code Mac}) and reused buffers:
   * a sealer or reader keeps one, so a segment costs its HMACs and the key specs the JCA needs,
   * not a provider lookup or a copy of any key. The extract step's HMAC is keyed once with the
   * all-zero salt (it never changes). Every secret buffer is wiped before a call returns. Not
   * thread-safe.
   */
  static final class Deriver {
    /** HashLen zero bytes: what RFC 5869 2.2 says an empty salt stands for. */
    private static final byte[] ZERO_SALT = new byte[32];
    private static final int MAX_INFO = LABEL.length + 1 + dev.obscura.core.StreamId.MAX_LENGTH + 8;
    private final Hkdf hkdf;
    private final javax.crypto.Mac extract;
    private final byte[] info = new byte[MAX_INFO];
    private final byte[] ikm = new byte[32];
    private final byte[] prk = new byte[32];
    private dev.obscura.core.StreamId infoStream;
    private int infoPrefix;

    /** With the platform's preferred JCA provider. */
    Deriver() {
      this(null);
    }

    /** With the HMAC of {@code provider} ({@code null}: the platform's preferred one). */
    Deriver(java.security.Provider provider) {
      this.hkdf = new Hkdf("HmacSHA256", provider);
      this.extract = dev.obscura.crypto.internal.Jca.mac("HmacSHA256", provider);
      try {
        extract.init(new javax.crypto.spec.SecretKeySpec(ZERO_SALT, "HmacSHA256"));
      } catch (java.security.InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 refused the all-zero salt", e);
      }
    }

    /** As {@link SegmentKeys#derive}. */
    SecretBytes derive(EpochKey epochKey, SegmentId id, SealingSuite suite) {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(suite, "suite");
      byte[] okm = new byte[suite.segmentKeySizeBytes()];
      try {
        deriveInto(epochKey, id.stream(), id.sequence(), suite, okm);
        return SecretBytes.copyFrom(okm, InsecureSecretAccess.get());
      } finally {
        Arrays.fill(okm, (byte) 0);
      }
    }

    /**
     * Writes the key of segment {@code sequence} of {@code stream} to {@code out[0 ..
     * suite.segmentKeySizeBytes())}, allocating only the key spec of the expand step's HMAC; the
     * caller wipes {@code out}.
     */
    void deriveInto(EpochKey epochKey, dev.obscura.core.StreamId stream, long sequence,
        SealingSuite suite, byte[] out) {
      Objects.requireNonNull(epochKey, "epochKey");
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(suite, "suite");
      if (!epochKey.stream().equals(stream)) {
        throw new IllegalArgumentException("epoch key of stream " + epochKey.stream()
            + " used for a segment of stream " + stream);
      }
      if (epochKey.secret().size() != ikm.length) {
        throw new IllegalArgumentException("an epoch key is " + ikm.length + " bytes");
      }
      int infoLength = info(stream, sequence);
      try {
        epochKey.secret().copyTo(ikm, 0, InsecureSecretAccess.get());
        extract.update(ikm, 0, ikm.length);
        extract.doFinal(prk, 0);
        hkdf.expand(prk, info, infoLength, out, 0, suite.segmentKeySizeBytes());
      } catch (javax.crypto.ShortBufferException e) {
        throw new IllegalStateException(e);
      } finally {
        Arrays.fill(ikm, (byte) 0);
        Arrays.fill(prk, (byte) 0);
      }
    }

    /**
     * Writes "obscura/v1 segment" || u8 len || stream id || u64be(sequence) into the reused info
     * buffer (the stream part only when the stream changes) and returns its length.
     */
    private int info(dev.obscura.core.StreamId stream, long sequence) {
      if (!stream.equals(infoStream)) {
        byte[] sid = stream.toBytes();
        System.arraycopy(LABEL, 0, info, 0, LABEL.length);
        info[LABEL.length] = (byte) sid.length;
        System.arraycopy(sid, 0, info, LABEL.length + 1, sid.length);
        infoPrefix = LABEL.length + 1 + sid.length;
        infoStream = stream;
      }
      int end = infoPrefix + 8;
      for (int i = 0; i < 8; i++) {
        info[end - 1 - i] = (byte) (sequence >>> (8 * i));
      }
      return end;
    }
  }
}
