package dev.obscura.crypto.scheme;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.scheme.internal.CounterGcm;
import dev.obscura.crypto.scheme.internal.Records;
import dev.obscura.crypto.scheme.internal.SaltedGcm;
import dev.obscura.crypto.scheme.internal.SchemeKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code frame-aead}: one AES-256-GCM record per frame.
 *
 * <pre>
 * key    = HKDF-SHA-256(context key, salt, "obscura/v1 scheme frame-aead" ...) ({@code SchemeKeys}),
 *          salt 16 random bytes drawn once per sealer
 * nonce  = 0x00000000 || u64be(n), n = the frame's number in the stream (0, 1, 2, ...)
 * aad    = "frame-aead" || 0x00 || u8 len || stream id || u64be segment index
 *          || u32be frame index || u32be frame count of the segment
 * plain  = the {@link FrameFraming} of the one frame (pts, keyframe flag, bytes)
 * record = [salt, first frame of a segment only] || ciphertext || 16-byte tag
 * </pre>
 *
 * <p><b>Guarantees:</b> every frame is authenticated together with its place (stream, segment,
 * index) and its segment's frame count, and the opener counts nonces itself: a changed, dropped,
 * added, reordered or truncated record, a record replayed from another segment, or a segment of
 * another stream, key or sealer fails, and no frame of the segment is released. Overhead: 16
 * bytes per frame plus 16 per segment, plus the framing's 13.
 */
public final class FrameAeadScheme implements SealingScheme {
  /** The scheme's name. */
  public static final String NAME = "frame-aead";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "one AES-256-GCM record per frame, counter nonce, AAD binds stream, segment, index"
        + " and frame count";
  }

  @Override
  public Protection protection() {
    return Protection.AUTHENTICATED;
  }

  @Override
  public SealingScheme.Sealer sealer(SchemeContext context) {
    return new Sealer(context);
  }

  @Override
  public SealingScheme.Opener opener(SchemeContext context) {
    return new Opener(context);
  }

  private static final int AAD_FIELDS = 8 + 4 + 4;

  private static void fillAad(byte[] aad, long segment, int index, int count) {
    int at = aad.length - AAD_FIELDS;
    SchemeKeys.putLong(segment, aad, at);
    putInt(index, aad, at + 8);
    putInt(count, aad, at + 12);
  }

  private static void putInt(int v, byte[] out, int at) {
    out[at] = (byte) (v >>> 24);
    out[at + 1] = (byte) (v >>> 16);
    out[at + 2] = (byte) (v >>> 8);
    out[at + 3] = (byte) v;
  }

  private static final class Sealer implements SealingScheme.Sealer {
    private final SaltedGcm key;
    private final byte[] aad;
    private long segment;
    private long counter;

    Sealer(SchemeContext context) {
      this.key = SaltedGcm.forSealer(context, NAME);
      this.aad = SchemeKeys.aadPrefix(NAME, context.stream(), AAD_FIELDS);
    }

    @Override
    public List<byte[]> seal(List<EncodedFrame> frames) {
      Records.checkSegment(frames);
      CounterGcm gcm = key.cipher();
      List<byte[]> records = new ArrayList<>(frames.size());
      for (int i = 0; i < frames.size(); i++) {
        byte[] plain = FrameFraming.encode(Collections.singletonList(frames.get(i)));
        int prefix = i == 0 ? SaltedGcm.SALT_BYTES : 0;
        byte[] record = new byte[prefix + plain.length + CounterGcm.TAG_BYTES];
        if (i == 0) {
          System.arraycopy(key.salt(), 0, record, 0, prefix);
        }
        fillAad(aad, segment, i, frames.size());
        gcm.seal(counter + i, aad, plain, record, prefix);
        java.util.Arrays.fill(plain, (byte) 0);
        records.add(record);
      }
      counter += frames.size();
      segment++;
      return Collections.unmodifiableList(records);
    }

    @Override
    public void close() {
      key.close();
    }
  }

  private static final class Opener implements SealingScheme.Opener {
    private final SaltedGcm key;
    private final byte[] aad;
    private long segment;
    private long counter;

    Opener(SchemeContext context) {
      this.key = SaltedGcm.forOpener(context, NAME);
      this.aad = SchemeKeys.aadPrefix(NAME, context.stream(), AAD_FIELDS);
    }

    @Override
    public List<EncodedFrame> open(List<byte[]> records)
        throws IntegrityException, MalformedDataException {
      Records.perFrame(records, NAME);
      int count = records.size();
      CounterGcm gcm = key.forSalt(records.get(0), 0);
      List<EncodedFrame> frames = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] r = records.get(i);
        int prefix = i == 0 ? SaltedGcm.SALT_BYTES : 0;
        fillAad(aad, segment, i, count);
        byte[] plain = gcm.open(counter + i, aad, r, prefix, r.length - prefix);
        List<EncodedFrame> one = FrameFraming.decode(plain);
        if (one.size() != 1) {
          throw new MalformedDataException("a frame-aead record holds " + one.size()
              + " frames, not 1");
        }
        frames.add(one.get(0));
      }
      key.pin();
      counter += count;
      segment++;
      return Collections.unmodifiableList(frames);
    }

    @Override
    public void close() {
      key.close();
    }
  }
}
