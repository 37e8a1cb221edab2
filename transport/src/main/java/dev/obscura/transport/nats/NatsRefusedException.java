package dev.obscura.transport.nats;

import java.io.IOException;

/**
 * The NATS server refused this client: its credentials (authorization violation) or a subject it
 * tried to publish or subscribe to (permissions violation), for example another household's
 * stream. Retrying with the same credentials fails again. The message names the user and the
 * subject, never a credential.
 */
public class NatsRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused
   */
  public NatsRefusedException(String message) {
    super(message);
  }
}
