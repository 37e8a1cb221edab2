package dev.obscura.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one camera stream, for example {@code front-door}.
 *
 * <p>A stream id is public: it appears in object names and in the plaintext header of every
 * sealed segment, so a store can route it. It must not carry anything the owner considers
 * private. It is 1 to 64 ASCII characters from {@code [A-Za-z0-9._-]}, starting with a letter
 * or digit, so it is safe as a path element and an S3 key component.
 */
public record StreamId(String value) implements Comparable<StreamId> {
  /** The longest stream id, in bytes (ASCII). */
  public static final int MAX_LENGTH = 64;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public StreamId {
    Objects.requireNonNull(value, "value");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "stream id must be 1-64 characters of [A-Za-z0-9._-], starting with a letter or digit");
    }
  }

  /** Same as {@code new StreamId(value)}. */
  public static StreamId of(String value) {
    return new StreamId(value);
  }

  /** The id as ASCII bytes, as it is encoded in headers and key-derivation info. */
  public byte[] toBytes() {
    return value.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public int compareTo(StreamId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
