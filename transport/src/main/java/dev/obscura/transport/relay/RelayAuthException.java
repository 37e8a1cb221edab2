package dev.obscura.transport.relay;

/**
 * The relay refused the token: 401 (none or malformed) or 403 (not this stream's token for this
 * role: a token of another stream, or a subscribe token used to publish). Retrying with the same
 * token will fail again.
 */
public class RelayAuthException extends RelayRefusedException {
  private static final long serialVersionUID = 1L;

  public RelayAuthException(String message, int statusCode) {
    super(message, statusCode);
  }
}
