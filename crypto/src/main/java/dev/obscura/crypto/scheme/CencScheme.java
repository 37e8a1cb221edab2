package dev.obscura.crypto.scheme;

import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.cenc.CencEncryptor;
import dev.obscura.crypto.cenc.CencKey;
import dev.obscura.crypto.cenc.CencSampleCipher;
import dev.obscura.crypto.cenc.Subsamples;
import dev.obscura.crypto.internal.Hkdf;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * ISO Common Encryption {@code cenc} per frame, for the scheme lab: each frame's coded slices are
 * encrypted with AES-128-CTR under an 8-byte per-frame IV, the Annex B start codes, NAL headers
 * and non-slice NAL units (SPS, PPS, SEI) left clear, exactly as {@code obscura export --format
 * cenc} encrypts MP4 samples ({@link Subsamples}, {@link CencSampleCipher}: one copy of the rule).
 *
 * <p><b>{@link Protection#CONFIDENTIAL_ONLY}:</b> nothing authenticates a record. A provider can
 * flip bits of the video, or drop, reorder and replay whole frames, and the opener returns the
 * altered frames without an error (its tests pin this). Pair it with the camera's signed chain.
 *
 * <p><b>Record</b> (one per frame, in the clear what CENC's {@code trun}/{@code senc} carry in the
 * clear): flags (1 byte: bit 0 keyframe), presentation time (8 bytes, microseconds), IV (8
 * bytes), the subsample map ({@link Subsamples#encodeTo}), then the frame with its protected
 * ranges encrypted. The AES-128 key is HKDF-SHA256 of the context's key, salted with the stream
 * id, label {@value #KEY_LABEL}. IVs count up from a random start per sealer.
 */
public final class CencScheme implements SealingScheme {
  /** The name on the command line and in results. */
  public static final String NAME = "cenc";
  /** HKDF info of the AES-128 key. */
  public static final String KEY_LABEL = "obscura scheme cenc aes-128-ctr";
  static final int FLAGS_AND_TIME = 1 + 8;
  static final int HEADER = FLAGS_AND_TIME + CencSampleEncryptor.IV_BYTES;

  private final Provider provider;

  /** The scheme with the platform's preferred JCA provider. */
  public CencScheme() {
    this(null);
  }

  /**
   * The scheme with a given JCA provider.
   *
   * @param provider the provider of AES/CTR and HmacSHA256, or {@code null} for the platform's
   */
  public CencScheme(Provider provider) {
    this.provider = provider;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ISO Common Encryption cenc per frame: AES-128-CTR over slice data, NAL headers clear; no integrity";
  }

  @Override
  public Protection protection() {
    return Protection.CONFIDENTIAL_ONLY;
  }

  @Override
  public Sealer sealer(SchemeContext context) {
    CencKey key = key(context);
    CencEncryptor encryptor;
    try {
      encryptor = new CencEncryptor(key, provider, context.entropy());
    } finally {
      key.destroy(); // the cipher holds its own copy
    }
    return segment -> {
      List<byte[]> out = new ArrayList<>(segment.size());
      for (EncodedFrame f : segment) {
        byte[] data = f.data();
        Subsamples map = Subsamples.forAnnexB(data, 0, data.length);
        int body = HEADER + map.encodedSize();
        byte[] r = new byte[body + data.length];
        System.arraycopy(data, 0, r, body, data.length);
        byte[] entry = encryptor.encrypt(r, body, map);
        r[0] = (byte) (f.keyframe() ? 1 : 0);
        long t = f.presentationMicros();
        for (int i = 8; i >= 1; i--, t >>>= 8) {
          r[i] = (byte) t;
        }
        System.arraycopy(entry, 0, r, FLAGS_AND_TIME, entry.length);
        out.add(r);
      }
      return Collections.unmodifiableList(out);
    };
  }

  @Override
  public Opener opener(SchemeContext context) {
    CencKey key = key(context);
    CencSampleCipher cipher;
    try {
      cipher = new CencSampleCipher(key, provider);
    } finally {
      key.destroy();
    }
    return records -> {
      List<EncodedFrame> out = new ArrayList<>(records.size());
      for (byte[] r : records) {
        if (r.length < HEADER + 2 || (r[0] & 0xfe) != 0) {
          throw new MalformedDataException("not a cenc scheme record");
        }
        Subsamples map = Subsamples.decode(r, HEADER, r.length);
        int body = HEADER + map.encodedSize();
        if (map.totalBytes() != r.length - body) {
          throw new MalformedDataException("cenc record: subsamples cover " + map.totalBytes()
              + " bytes of a " + (r.length - body) + "-byte frame");
        }
        byte[] data = Arrays.copyOfRange(r, body, r.length);
        cipher.apply(Arrays.copyOfRange(r, FLAGS_AND_TIME, HEADER), data, 0, map);
        long t = 0;
        for (int i = 1; i <= 8; i++) {
          t = (t << 8) | (r[i] & 0xff);
        }
        out.add(new EncodedFrame(t, r[0] == 1, data));
      }
      return Collections.unmodifiableList(out);
    };
  }

  private CencKey key(SchemeContext context) {
    byte[] ikm = context.key().toByteArray(InsecureSecretAccess.get());
    byte[] prk = Hkdf.extract("HmacSHA256", provider, context.stream().toBytes(), ikm);
    byte[] k = Hkdf.expand("HmacSHA256", provider, prk, KEY_LABEL.getBytes(StandardCharsets.US_ASCII), CencKey.BYTES);
    try {
      // the lab's records name no KID; a fixed one keeps the key type whole
      return CencKey.of(new byte[CencKey.BYTES], SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
    } finally {
      Arrays.fill(ikm, (byte) 0);
      Arrays.fill(prk, (byte) 0);
      Arrays.fill(k, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "CencScheme";
  }
}
