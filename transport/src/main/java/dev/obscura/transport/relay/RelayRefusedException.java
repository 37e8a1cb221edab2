package dev.obscura.transport.relay;

import java.io.IOException;

/**
 * The relay refused a connection before the WebSocket upgrade, with an HTTP status: 404 (no such
 * stream), 503 (stream at its viewer limit), 400 or 426 (protocol mismatch). Authorization
 * failures are the subclass {@link RelayAuthException}.
 */
public class RelayRefusedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int statusCode;

  public RelayRefusedException(String message, int statusCode) {
    super(message);
    this.statusCode = statusCode;
  }

  /** The HTTP status code of the refusal. */
  public int statusCode() {
    return statusCode;
  }
}
