package dev.obscura.core;

import java.util.Objects;

/**
 * One sealed motion event as an event bus carries it: the camera's stream (for routing: a
 * subject, an object prefix), the event's opaque id, and the sealed record. The bus moves these
 * bytes and nothing else; the sealed record is checked by the device that opens it
 * ({@code dev.obscura.crypto.event.MotionEventReader}), which also checks that stream and id are
 * the ones sealed inside.
 *
 * <p><b>Ownership:</b> {@code sealed} is not copied; nobody modifies it after the message is made.
 *
 * @param stream the stream the event claims to belong to (unauthenticated)
 * @param id the event's id (unauthenticated until opened)
 * @param sealed the sealed, signed, padded event record
 */
public record EventMessage(StreamId stream, EventId id, byte[] sealed) {
  public EventMessage {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sealed, "sealed");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventMessage m && m.stream.equals(stream) && m.id.equals(id)
        && java.util.Arrays.equals(m.sealed, sealed);
  }

  @Override
  public int hashCode() {
    return stream.hashCode() * 31 + id.hashCode();
  }

  @Override
  public String toString() {
    return "EventMessage[" + stream + ", " + id + ", " + sealed.length + " bytes]";
  }
}
