package dev.obscura.core;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The opaque id of one motion event: 16 random bytes the camera picks. It says nothing about the
 * event (no time, no stream, no count), so it is all a push notification carries; the device
 * that receives it fetches the sealed event by this id and opens it. Written as 32 lowercase hex
 * digits in object names and on the command line.
 */
public final class EventId {
  /** Length of an event id in bytes. */
  public static final int LENGTH = 16;

  private final byte[] bytes;

  private EventId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The id with these bytes.
   *
   * @param bytes exactly {@link #LENGTH} bytes (copied)
   * @return the id
   * @throws IllegalArgumentException if the length is wrong
   */
  public static EventId of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an event id is " + LENGTH + " bytes");
    }
    return new EventId(bytes.clone());
  }

  /**
   * A fresh random id.
   *
   * @param entropy where the randomness comes from
   * @return the id
   */
  public static EventId random(EntropySource entropy) {
    byte[] b = new byte[LENGTH];
    entropy.nextBytes(b);
    return new EventId(b);
  }

  /**
   * Parses 32 hex digits.
   *
   * @param hex the text
   * @return the id
   * @throws IllegalArgumentException if it is not 32 hex digits
   */
  public static EventId parse(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 * LENGTH || !hex.matches("[0-9a-fA-F]+")) {
      throw new IllegalArgumentException("an event id is " + (2 * LENGTH) + " hex digits");
    }
    return new EventId(Hex.parse(hex));
  }

  /**
   * The id's bytes.
   *
   * @return a copy
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * 32 lowercase hex digits.
   *
   * @return the hex form
   */
  public String toHex() {
    return Hex.format(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventId e && MessageDigest.isEqual(e.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
