package dev.obscura.crypto.scheme;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.scheme.internal.MemoryStore;
import dev.obscura.crypto.scheme.internal.Records;
import dev.obscura.crypto.scheme.internal.SaltPin;
import dev.obscura.crypto.scheme.internal.SaltedGcm;
import dev.obscura.crypto.scheme.internal.SchemeKeys;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.segment.SegmentSealer;
import dev.obscura.crypto.segment.SegmentWriter;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * {@code chunked}, the default: each segment is sealed exactly as a camera seals it, by the
 * product's {@link SegmentSealer} (C2SP chunked encryption, 16 KiB AES-256-GCM chunks, the public
 * header as context, the hash chain), over the {@link FrameFraming} of its frames, and opened by
 * {@link SegmentOpener}. One record per segment: {@code sealer salt (16 bytes) || the whole
 * sealed object}.
 *
 * <p><b>Guarantees:</b> every byte of the segment is authenticated; the opener also requires
 * each segment to have the next sequence number of the stream and to name the previous one's
 * chain digest, so a changed, truncated, dropped, reordered or replayed segment, or one of another
 * stream or key, is refused and no frame of it released. The epoch key is HKDF of the context key
 * with the label {@code chunked} and a 16-byte random salt drawn once per sealer ({@code
 * SchemeKeys}), epoch 0, so two sealers of one context never share a key; the opener pins the
 * salt of the first segment that opened and refuses a segment of any other sealer.
 */
public final class ChunkedScheme extends BuiltInScheme {
  /** The scheme's name. */
  public static final String NAME = "chunked";

  /** The scheme. */
  public ChunkedScheme() {
    super(NAME, "the product's sealed segments (C2SP chunked AES-256-GCM, 16 KiB chunks,"
        + " hash chain): one record per segment", Protection.AUTHENTICATED,
        Sealer::new, Opener::new);
  }

  private static final class Sealer implements SealingScheme.Sealer {
    private final MemoryStore store = new MemoryStore();
    private final SegmentSealer sealer;
    private final byte[] header = new byte[FrameFraming.HEADER_BYTES];
    private final byte[] salt = new byte[SaltedGcm.SALT_BYTES];

    Sealer(SchemeContext context) throws IOException {
      context.entropy().nextBytes(salt);
      try {
        this.sealer = SegmentSealer.builder()
            .resumeAt(store, 0, new byte[SegmentHeader.DIGEST_LENGTH])
            .stream(context.stream())
            .epochKey(SchemeKeys.epochKey(context, NAME, salt))
            .entropy(context.entropy())
            .build();
      } catch (MalformedDataException e) {
        throw new IllegalStateException(e); // resumeAt reads nothing
      }
    }

    @Override
    public List<byte[]> seal(List<EncodedFrame> segment) throws IOException {
      Records.checkSegment(segment);
      long first = segment.get(0).presentationMicros();
      long last = segment.get(segment.size() - 1).presentationMicros();
      long duration = Math.max(0, Math.min(last - first, SegmentHeader.MAX_DURATION_MICROS));
      Instant start = Instant.EPOCH.plusNanos(Math.max(0, first) * 1000);
      try (SegmentWriter w = sealer.open(start, duration)) {
        for (EncodedFrame f : segment) {
          FrameFraming.writeHeader(f, header, 0);
          w.write(header, 0, header.length);
          w.write(f.data(), 0, f.data().length);
        }
        w.finish();
      }
      byte[] sealed = store.take();
      byte[] record = Arrays.copyOf(salt, salt.length + sealed.length);
      System.arraycopy(sealed, 0, record, salt.length, sealed.length);
      return java.util.Collections.singletonList(record);
    }

    @Override
    public void close() {
      sealer.close();
    }
  }

  private static final class Opener implements SealingScheme.Opener {
    private final SchemeContext context;
    private final SaltPin pin = new SaltPin();
    /** The key of the pinned salt, once a segment opened. */
    private EpochKey key;
    private final SegmentOpener opener = new SegmentOpener();
    private long nextSequence;
    private byte[] previousDigest = new byte[SegmentHeader.DIGEST_LENGTH];

    Opener(SchemeContext context) {
      this.context = context;
    }

    @Override
    public List<EncodedFrame> open(List<byte[]> records)
        throws IntegrityException, MalformedDataException {
      byte[] record = Records.single(records, NAME);
      byte[] salt = pin.read(record, SaltedGcm.SALT_BYTES);
      EpochKey k = key != null ? key : SchemeKeys.epochKey(context, NAME, salt);
      boolean opened = false;
      try {
        List<EncodedFrame> frames = open(Arrays.copyOfRange(record, salt.length, record.length), k);
        opened = true;
        pin.pin(salt);
        key = k;
        return frames;
      } finally {
        if (!opened && k != key) {
          k.destroy(); // a first segment that failed: forget its key
        }
      }
    }

    private List<EncodedFrame> open(byte[] record, EpochKey k) throws IntegrityException, MalformedDataException {
      OpenedSegment s = opener.open(record, k);
      SegmentHeader h = s.header();
      if (!h.stream().equals(context.stream())) {
        throw new IntegrityException("segment of stream " + h.stream() + ", not "
            + context.stream());
      }
      if (h.sequence() != nextSequence) {
        throw new ChainBrokenException("segment #" + h.sequence() + " where #" + nextSequence
            + " was expected (dropped, reordered or replayed)");
      }
      if (!MessageDigest.isEqual(h.previousDigest(), previousDigest)) {
        throw new ChainBrokenException("segment #" + h.sequence()
            + " does not follow the previous segment (chain digest differs)");
      }
      List<EncodedFrame> frames = FrameFraming.decode(s.plaintext());
      Arrays.fill(s.plaintext(), (byte) 0);
      nextSequence++;
      previousDigest = s.digest();
      return frames;
    }

    @Override
    public void close() {
      if (key != null) {
        key.destroy();
      }
    }
  }
}
