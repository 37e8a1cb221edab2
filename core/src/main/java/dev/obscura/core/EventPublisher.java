package dev.obscura.core;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a camera publishes its sealed motion events: the store beside the segments
 * ({@code dev.obscura.crypto.event.StoreEventBus}), a message broker with retention (NATS
 * JetStream, so a phone that was offline reads what it missed), or both. Implementations move
 * opaque bytes; sealing, signing and padding happen before ({@code dev.obscura.crypto.Recorder}).
 *
 * <p><b>Security guarantees:</b> none needed of the implementation: it never gets a key or a
 * plaintext, and every check is made by the device that opens the event. Credentials of the
 * transport stay in the implementation, out of {@code toString()} and exception messages.
 *
 * <p><b>Restrictions:</b> calls come from one thread at a time; events are published in the
 * camera's order (their sealed sequence), and an implementation delivers them in that order.
 */
public interface EventPublisher extends Closeable {
  /**
   * Publishes one sealed event; returns when the transport has it (durably, as far as the
   * transport allows).
   *
   * @param event the sealed event with its stream and id; its bytes are not modified
   * @throws IOException if the transport failed or is closed
   */
  void publish(EventMessage event) throws IOException;

  /**
   * Closes the connection. Idempotent. The default does nothing.
   *
   * @throws IOException if closing failed
   */
  @Override
  default void close() throws IOException {}
}
