package dev.obscura.crypto.scheme;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.scheme.internal.MemoryStore;
import dev.obscura.crypto.scheme.internal.Records;
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
 * {@link SegmentOpener}. One record per segment: the whole sealed object.
 *
 * <p><b>Guarantees:</b> every byte of the segment is authenticated; the opener also requires
 * each segment to have the next sequence number of the stream and to name the previous one's
 * chain digest, so a changed, truncated, dropped, reordered or replayed segment, or one of another
 * stream or key, is refused and no frame of it released. The epoch key is HKDF of the context key
 * with the label {@code chunked} ({@code SchemeKeys}), epoch 0.
 */
public final class ChunkedScheme implements SealingScheme {
  /** The scheme's name. */
  public static final String NAME = "chunked";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "the product's sealed segments (C2SP chunked AES-256-GCM, 16 KiB chunks, hash chain):"
        + " one record per segment";
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

  private static EpochKey epochKey(SchemeContext context) {
    byte[] k = SchemeKeys.derive(context, NAME, new byte[0], EpochKey.LENGTH);
    try {
      return new EpochKey(context.stream(), EpochId.of(0),
          SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  private static final class Sealer implements SealingScheme.Sealer {
    private final MemoryStore store = new MemoryStore();
    private final SegmentSealer sealer;
    private final byte[] header = new byte[FrameFraming.HEADER_BYTES];

    Sealer(SchemeContext context) throws IOException {
      try {
        this.sealer = SegmentSealer.builder()
            .resumeAt(store, 0, new byte[SegmentHeader.DIGEST_LENGTH])
            .stream(context.stream())
            .epochKey(epochKey(context))
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
      return java.util.Collections.singletonList(store.take());
    }

    @Override
    public void close() {
      sealer.close();
    }
  }

  private static final class Opener implements SealingScheme.Opener {
    private final SchemeContext context;
    private final EpochKey key;
    private final SegmentOpener opener = new SegmentOpener();
    private long nextSequence;
    private byte[] previousDigest = new byte[SegmentHeader.DIGEST_LENGTH];

    Opener(SchemeContext context) {
      this.context = context;
      this.key = epochKey(context);
    }

    @Override
    public List<EncodedFrame> open(List<byte[]> records)
        throws IntegrityException, MalformedDataException {
      byte[] record = Records.single(records, NAME);
      OpenedSegment s = opener.open(record, key);
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
      key.destroy();
    }
  }
}
