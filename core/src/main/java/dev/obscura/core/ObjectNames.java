package dev.obscura.core;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How sealed objects are named in a {@link SegmentStore}:
 *
 * <pre>
 * STREAM/segments/SEQUENCE.seg   a sealed segment (sequence zero-padded to 19 digits)
 * STREAM/epochs/EPOCH.env        the key envelope of one epoch (zero-padded to 19 digits)
 * STREAM/events/ID.evt           a sealed motion event (its {@link EventId}, 32 hex digits)
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

  private static final Pattern EVENT =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63})/events/([0-9a-f]{32})\\.evt");

  private ObjectNames() {}

  /**
   * The name of a sealed motion event. Named by its opaque id (not by time or number), so a
   * device woken by a push that carries only the id fetches it directly.
   *
   * @param stream the camera's stream
   * @param id the event's id
   * @return {@code STREAM/events/ID.evt}
   */
  public static String event(StreamId stream, EventId id) {
    return stream + "/events/" + id.toHex() + ".evt";
  }

  /**
   * The prefix under which a stream's sealed motion events are listed.
   *
   * @param stream the stream
   * @return {@code STREAM/events/}
   */
  public static String eventPrefix(StreamId stream) {
    return stream + "/events/";
  }

  /** A parsed event name: its stream and id. */
  public record EventName(StreamId stream, EventId id) {}

  /**
   * The stream and id of an event name, if it is one (lowercase hex only: one spelling per id).
   *
   * @param name an object name
   * @return the parsed name, or empty
   */
  public static Optional<EventName> parseEvent(String name) {
    Matcher m = EVENT.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new EventName(new StreamId(m.group(1)), EventId.parse(m.group(2))));
  }

  public static String segment(SegmentId id) {
    return id.stream() + "/segments/" + String.format(Locale.ROOT, "%019d", id.sequence()) + ".seg";
  }

  public static String segmentPrefix(StreamId stream) {
    return stream + "/segments/";
  }

  public static String envelope(StreamId stream, EpochId epoch) {
    return stream + "/epochs/" + String.format(Locale.ROOT, "%019d", epoch.value()) + ".env";
  }

  public static String envelopePrefix(StreamId stream) {
    return stream + "/epochs/";
  }

  /**
   * The segment id a name stands for, if it is a segment name. A name whose sequence is above
   * {@link SegmentId#MAX_SEQUENCE} (including 19 digits beyond 2^63-1) is not a segment name:
   * empty, never an exception.
   */
  public static Optional<SegmentId> parseSegment(String name) {
    Matcher m = SEGMENT.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    long seq = number(m.group(2));
    if (!SegmentId.isValidSequence(seq)) {
      return Optional.empty();
    }
    return Optional.of(new SegmentId(new StreamId(m.group(1)), seq));
  }

  /** A parsed envelope name: its stream and epoch. */
  public record EnvelopeName(StreamId stream, EpochId epoch) {}

  /**
   * The stream and epoch of an envelope name, if it is one. A name whose epoch is above {@link
   * EpochId#MAX_VALUE} is not an envelope name: empty (a planted {@code 9223372036854775806.env}
   * must never become the base of a camera's next epoch).
   */
  public static Optional<EnvelopeName> parseEnvelope(String name) {
    Matcher m = ENVELOPE.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    long epoch = number(m.group(2));
    if (!EpochId.isValid(epoch)) {
      return Optional.empty();
    }
    return Optional.of(new EnvelopeName(new StreamId(m.group(1)), EpochId.of(epoch)));
  }

  /** The stream of an envelope name, if it is one (same rules as {@link #parseEnvelope}). */
  public static Optional<StreamId> parseEnvelopeStream(String name) {
    return parseEnvelope(name).map(EnvelopeName::stream);
  }

  /** 19 decimal digits; -1 if they do not fit in a long. */
  private static long number(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
