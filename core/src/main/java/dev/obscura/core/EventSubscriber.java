package dev.obscura.core;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * A viewing device's end of an event bus: the sealed motion events of the streams it follows,
 * one at a time, the ones it missed while offline first (as far as the bus keeps them), then new
 * ones as they are published. Implemented over the store ({@code
 * dev.obscura.crypto.event.StoreEventBus}) and over a JetStream consumer ({@code
 * dev.obscura.transport.nats.NatsEventSubscriber}).
 *
 * <p><b>Security guarantees:</b> none: it holds no key and authenticates nothing. Duplicates,
 * reordering, gaps and forgeries are to be expected; the reader refuses them ({@code
 * dev.obscura.crypto.event.MotionEventReader}).
 *
 * <p><b>Restrictions:</b> one consumer thread. {@link #close()} may be called from another
 * thread to end a blocked {@link #next}, which then returns {@code null}.
 */
public interface EventSubscriber extends Closeable {
  /**
   * Blocks until the next event, at most {@code timeout}.
   *
   * @param timeout how long to wait at most (zero: only what is already there)
   * @return the next event, or {@code null} if none came within {@code timeout}, or the
   *     subscriber was closed
   * @throws IOException if the transport failed
   */
  EventMessage next(Duration timeout) throws IOException;

  /**
   * Closes the subscription; a blocked {@link #next} returns {@code null}. Idempotent.
   *
   * @throws IOException if closing failed
   */
  @Override
  void close() throws IOException;
}
