package dev.obscura.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How sealed objects are named in a {@link SegmentStore}:
 *
 * <pre>
 * STREAM/segments/SEQUENCE.seg   a sealed segment (sequence zero-padded to 19 digits)
 * STREAM/epochs/EPOCH.env        the key envelope of one epoch (zero-padded to 19 digits)
 * </pre>
 *
 * Zero padding makes the lexicographic order of names the numeric order, so a plain listing is
 * in stream order. Names are hints for routing only: readers trust the authenticated header.
 */
public final class ObjectNames {
  private static final Pattern SEGMENT =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63})/segments/(\\d{19})\\.seg");
  private static final Pattern ENVELOPE =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63})/epochs/(\\d{19})\\.env");

  private ObjectNames() {}

  public static String segment(SegmentId id) {
    return id.stream() + "/segments/" + String.format("%019d", id.sequence()) + ".seg";
  }

  public static String segmentPrefix(StreamId stream) {
    return stream + "/segments/";
  }

  public static String envelope(StreamId stream, EpochId epoch) {
    return stream + "/epochs/" + String.format("%019d", epoch.value()) + ".env";
  }

  public static String envelopePrefix(StreamId stream) {
    return stream + "/epochs/";
  }

  /** The segment id a name stands for, if it is a segment name. */
  public static Optional<SegmentId> parseSegment(String name) {
    Matcher m = SEGMENT.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SegmentId(new StreamId(m.group(1)), Long.parseLong(m.group(2))));
  }

  /** The stream of an envelope name, if it is one. */
  public static Optional<StreamId> parseEnvelopeStream(String name) {
    Matcher m = ENVELOPE.matcher(name);
    return m.matches() ? Optional.of(new StreamId(m.group(1))) : Optional.empty();
  }
}
