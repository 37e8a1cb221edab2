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
 * {@code selective}: a <b>weak baseline</b>. Only keyframes are encrypted (AES-256-GCM, keyed and
 * nonced as {@link FrameAeadScheme}, AAD = "selective" || stream || u64be segment || u32be frame
 * index || i64be pts); P-frames are stored in the clear and unauthenticated. One record per
 * segment: {@code salt (16) || FrameFraming of the frames}, where a keyframe's bytes are its
 * ciphertext and tag and a P-frame's are the frame itself.
 *
 * <p>What it leaks: every P-frame, i.e. the motion vectors and residuals of everything that moves,
 * readable by anyone who holds the record; the frame structure and sizes. A provider can also
 * change P-frames undetected. It exists so that researchers can measure what encrypting less
 * saves and what it costs in leakage, never for footage.
 */
public final class SelectiveScheme implements SealingScheme {
  /** The scheme's name. */
  public static final String NAME = "selective";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "AES-256-GCM over keyframes only; P-frames stay in the clear (weak baseline)";
  }

  @Override
  public Protection protection() {
    return Protection.WEAK;
  }

  @Override
  public String warning() {
    return "selective encrypts keyframes only: P-frames are stored in the clear and leak the"
        + " motion in the scene (and can be altered undetected); a baseline for measurement,"
        + " never for footage";
  }

  @Override
  public SealingScheme.Sealer sealer(SchemeContext context) {
    return new Sealer(context);
  }

  @Override
  public SealingScheme.Opener opener(SchemeContext context) {
    return new Opener(context);
  }

  private static final int AAD_FIELDS = 8 + 4 + 8;

  private static void fillAad(byte[] aad, long segment, int index, long pts) {
    int at = aad.length - AAD_FIELDS;
    SchemeKeys.putLong(segment, aad, at);
    aad[at + 8] = (byte) (index >>> 24);
    aad[at + 9] = (byte) (index >>> 16);
    aad[at + 10] = (byte) (index >>> 8);
    aad[at + 11] = (byte) index;
    SchemeKeys.putLong(pts, aad, at + 12);
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
      List<EncodedFrame> out = new ArrayList<>(frames.size());
      long next = counter;
      for (int i = 0; i < frames.size(); i++) {
        EncodedFrame f = frames.get(i);
        if (!f.keyframe()) {
          out.add(f);
          continue;
        }
        byte[] sealed = new byte[f.data().length + CounterGcm.TAG_BYTES];
        fillAad(aad, segment, i, f.presentationMicros());
        gcm.seal(next++, aad, f.data(), sealed, 0);
        out.add(new EncodedFrame(f.presentationMicros(), true, sealed));
      }
      byte[] framed = FrameFraming.encode(out);
      byte[] record = new byte[SaltedGcm.SALT_BYTES + framed.length];
      System.arraycopy(key.salt(), 0, record, 0, SaltedGcm.SALT_BYTES);
      System.arraycopy(framed, 0, record, SaltedGcm.SALT_BYTES, framed.length);
      counter = next;
      segment++;
      return Collections.singletonList(record);
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
      byte[] record = Records.single(records, NAME);
      CounterGcm gcm = key.forSalt(record, 0);
      List<EncodedFrame> framed = FrameFraming.decode(record, SaltedGcm.SALT_BYTES,
          record.length - SaltedGcm.SALT_BYTES);
      List<EncodedFrame> frames = new ArrayList<>(framed.size());
      long next = counter;
      for (int i = 0; i < framed.size(); i++) {
        EncodedFrame f = framed.get(i);
        if (!f.keyframe()) {
          frames.add(f);
          continue;
        }
        fillAad(aad, segment, i, f.presentationMicros());
        byte[] plain = gcm.open(next++, aad, f.data(), 0, f.data().length);
        frames.add(new EncodedFrame(f.presentationMicros(), true, plain));
      }
      key.pin();
      counter = next;
      segment++;
      return Collections.unmodifiableList(frames);
    }

    @Override
    public void close() {
      key.close();
    }
  }
}
