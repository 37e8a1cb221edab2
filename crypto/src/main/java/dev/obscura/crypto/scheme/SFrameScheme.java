package dev.obscura.crypto.scheme;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.scheme.internal.Records;
import dev.obscura.crypto.scheme.internal.SaltedGcm;
import dev.obscura.crypto.scheme.internal.SchemeKeys;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.SFrameReceiver;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.crypto.sframe.UnknownKeyIdException;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@code sframe}: the product's live-view path, {@link SFrameSender} and {@link SFrameReceiver}
 * (RFC 9605, AES-128-GCM-SHA256 with a 128-bit tag), one SFrame record per frame, each an Obscura
 * live frame (pts and keyframe flag authenticated inside).
 *
 * <p>Key: the epoch key (epoch 0) is HKDF of the context key with the label {@code sframe} and a
 * 16-byte random salt drawn once per sealer ({@code SchemeKeys}), so two sealers of one context
 * never share a key (RFC 9605 allows one sender per key). The first record of every segment is
 * {@code salt || SFrame}; the others are plain SFrame ciphertexts. The opener pins the salt of the
 * first segment it opened.
 *
 * <p><b>Guarantees, exactly:</b> each frame is authenticated (a changed, truncated or foreign
 * record fails); each SFrame counter is accepted once, within a 1024-frame replay window (a
 * record replayed from this or another segment fails). <b>Not</b> bound: a segment's
 * completeness and order. A dropped frame, or frames reordered within the window, open without
 * error, as they must on a lossy live link; use {@code chunked} or {@code frame-aead} where that
 * matters.
 */
public final class SFrameScheme implements SealingScheme {
  /** The scheme's name. */
  public static final String NAME = "sframe";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "SFrame (RFC 9605) per frame, the live-view path: per-frame authentication and a"
        + " 1024-frame replay window; does not detect dropped or reordered frames";
  }

  @Override
  public Protection protection() {
    return Protection.AUTHENTICATED;
  }

  @Override
  public SealingScheme.Sealer sealer(SchemeContext context) throws IOException {
    return new Sealer(context);
  }

  @Override
  public SealingScheme.Opener opener(SchemeContext context) {
    return new Opener(context);
  }

  private static EpochKey epochKey(SchemeContext context, byte[] salt) {
    byte[] k = SchemeKeys.derive(context, NAME, salt, EpochKey.LENGTH);
    try {
      return new EpochKey(context.stream(), EpochId.of(0),
          SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** A counter store in memory: sound here because every sealer has a key of its own. */
  private static final class FreshKeyCounters implements CounterStore {
    private long value;

    @Override
    public long load() {
      return value;
    }

    @Override
    public void store(long highWaterMark) {
      if (highWaterMark < value) {
        throw new IllegalArgumentException("counter high-water mark must not go down");
      }
      value = highWaterMark;
    }
  }

  private static final class Sealer implements SealingScheme.Sealer {
    private final byte[] salt = new byte[SaltedGcm.SALT_BYTES];
    private final EpochKey key;
    private final SFrameSender sender;

    Sealer(SchemeContext context) throws IOException {
      context.entropy().nextBytes(salt);
      this.key = epochKey(context, salt);
      this.sender = SFrameSender.builder(key, new FreshKeyCounters()).build();
    }

    @Override
    public List<byte[]> seal(List<EncodedFrame> frames) throws IOException {
      Records.checkSegment(frames);
      List<byte[]> records = new ArrayList<>(frames.size());
      for (int i = 0; i < frames.size(); i++) {
        EncodedFrame f = frames.get(i);
        byte[] sealed = sender.seal(f, f.presentationMicros());
        if (i == 0) {
          byte[] r = new byte[salt.length + sealed.length];
          System.arraycopy(salt, 0, r, 0, salt.length);
          System.arraycopy(sealed, 0, r, salt.length, sealed.length);
          sealed = r;
        }
        records.add(sealed);
      }
      return Collections.unmodifiableList(records);
    }

    @Override
    public void close() {
      sender.close();
      key.destroy();
    }
  }

  private static final class Opener implements SealingScheme.Opener {
    private final SchemeContext context;
    private byte[] salt;
    private SFrameReceiver receiver;

    Opener(SchemeContext context) {
      this.context = context;
    }

    @Override
    public List<EncodedFrame> open(List<byte[]> records)
        throws IntegrityException, MalformedDataException {
      Records.perFrame(records, NAME);
      byte[] first = records.get(0);
      if (first.length < SaltedGcm.SALT_BYTES) {
        throw new IntegrityException("sframe record is too short to hold its salt");
      }
      byte[] s = Arrays.copyOf(first, SaltedGcm.SALT_BYTES);
      SFrameReceiver r = receiver;
      if (salt == null) {
        r = SFrameReceiver.builder(context.stream()).build();
        EpochKey key = epochKey(context, s);
        try {
          r.addEpochKey(key);
        } finally {
          key.destroy();
        }
      } else if (!MessageDigest.isEqual(s, salt)) {
        throw new IntegrityException("segment of another sealer (salt differs from the stream's)");
      }
      List<EncodedFrame> frames = new ArrayList<>(records.size());
      try {
        for (int i = 0; i < records.size(); i++) {
          byte[] rec = records.get(i);
          frames.add(r.openFrame(i == 0 ? Arrays.copyOfRange(rec, s.length, rec.length) : rec));
        }
      } catch (UnknownKeyIdException e) {
        throw new IntegrityException("sframe record under an unknown key id", e);
      }
      if (salt == null) {
        salt = s;
        receiver = r;
      }
      return Collections.unmodifiableList(frames);
    }

    @Override
    public void close() {
      if (receiver != null) {
        receiver.close();
      }
    }
  }
}
