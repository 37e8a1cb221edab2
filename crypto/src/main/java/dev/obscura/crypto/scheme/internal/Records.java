package dev.obscura.crypto.scheme.internal;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.MalformedDataException;
import java.util.List;
import java.util.Objects;

/** Argument checks every built-in scheme makes the same way. */
public final class Records {
  private Records() {}

  /**
   * Checks a segment handed to a sealer.
   *
   * @param segment the frames
   * @return {@code segment}
   * @throws IllegalArgumentException if it is empty or holds a null frame
   */
  public static List<EncodedFrame> checkSegment(List<EncodedFrame> segment) {
    Objects.requireNonNull(segment, "segment");
    if (segment.isEmpty()) {
      throw new IllegalArgumentException("a segment holds at least one frame");
    }
    for (EncodedFrame f : segment) {
      Objects.requireNonNull(f, "frame");
    }
    return segment;
  }

  /**
   * Checks the records handed to an opener of a scheme with one record per segment.
   *
   * @param records the records
   * @param scheme the scheme's name, for the message
   * @return the one record
   * @throws MalformedDataException unless there is exactly one, non-null record
   */
  public static byte[] single(List<byte[]> records, String scheme) throws MalformedDataException {
    Objects.requireNonNull(records, "records");
    if (records.size() != 1 || records.get(0) == null) {
      throw new MalformedDataException("a " + scheme + " segment is one record, not "
          + records.size());
    }
    return records.get(0);
  }

  /**
   * Checks the records handed to an opener of a per-frame scheme.
   *
   * @param records the records
   * @param scheme the scheme's name, for the message
   * @return {@code records}
   * @throws MalformedDataException if there is none, or one is null
   */
  public static List<byte[]> perFrame(List<byte[]> records, String scheme)
      throws MalformedDataException {
    Objects.requireNonNull(records, "records");
    if (records.isEmpty()) {
      throw new MalformedDataException("a " + scheme + " segment has at least one record");
    }
    for (byte[] r : records) {
      if (r == null) {
        throw new MalformedDataException("a " + scheme + " record is null");
      }
    }
    return records;
  }
}
