package dev.obscura.transport.relay;

import java.io.IOException;

/**
 * The relay connection ended abnormally: closed with a WebSocket close code other than 1000
 * (normal) or 1001 (going away), cut without a close, or a message from the relay that breaks
 * the protocol. Close codes: 1002 malformed message, 1003 text message, 1008 policy violation,
 * 1009 message too big, 4001 publisher replaced by a newer one, 1006 connection lost.
 */
public class RelayClosedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int closeCode;

  public RelayClosedException(String message, int closeCode) {
    super(message);
    this.closeCode = closeCode;
  }

  public RelayClosedException(String message, int closeCode, Throwable cause) {
    super(message, cause);
    this.closeCode = closeCode;
  }

  /** The WebSocket close code (1006 if the connection was lost without one). */
  public int closeCode() {
    return closeCode;
  }
}
