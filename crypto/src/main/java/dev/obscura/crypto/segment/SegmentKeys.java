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
   * The same derivation with one reused HKDF ({@link Hkdf}, one {@code Mac}): a sealer or reader
   * keeps one, so a segment costs its three HMACs, not a provider lookup. Not thread-safe.
   */
  static final class Deriver {
    /** HashLen zero bytes: what RFC 5869 2.2 says an empty salt stands for. */
    private static final byte[] ZERO_SALT = new byte[32];
    private final Hkdf hkdf;

    /** With the platform's preferred JCA provider. */
    Deriver() {
      this(null);
    }

    /** With the HMAC of {@code provider} ({@code null}: the platform's preferred one). */
    Deriver(java.security.Provider provider) {
      this.hkdf = new Hkdf("HmacSHA256", provider);
    }

    /** As {@link SegmentKeys#derive}. */
    SecretBytes derive(EpochKey epochKey, SegmentId id, SealingSuite suite) {
      Objects.requireNonNull(epochKey, "epochKey");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(suite, "suite");
      if (!epochKey.stream().equals(id.stream())) {
        throw new IllegalArgumentException("epoch key of stream " + epochKey.stream()
            + " used for a segment of stream " + id.stream());
      }
      byte[] sid = id.stream().toBytes();
      byte[] info = new byte[LABEL.length + 1 + sid.length + 8];
      System.arraycopy(LABEL, 0, info, 0, LABEL.length);
      info[LABEL.length] = (byte) sid.length;
      System.arraycopy(sid, 0, info, LABEL.length + 1, sid.length);
      long seq = id.sequence();
      for (int i = 0; i < 8; i++) {
        info[info.length - 1 - i] = (byte) (seq >>> (8 * i));
      }
      byte[] ikm = epochKey.secret().toByteArray(InsecureSecretAccess.get());
      byte[] prk = null;
      byte[] okm = null;
      try {
        prk = hkdf.extract(ZERO_SALT, ikm);
        okm = hkdf.expand(prk, info, suite.segmentKeySizeBytes());
        return SecretBytes.copyFrom(okm, InsecureSecretAccess.get());
      } finally {
        Arrays.fill(ikm, (byte) 0);
        if (prk != null) {
          Arrays.fill(prk, (byte) 0);
        }
        if (okm != null) {
          Arrays.fill(okm, (byte) 0);
        }
      }
    }
  }
}
