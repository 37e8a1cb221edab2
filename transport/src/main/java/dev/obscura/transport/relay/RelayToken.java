package dev.obscura.transport.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bearer token that lets its holder publish into, or subscribe to, one relay stream.
 *
 * <p><b>Security guarantees:</b> the token is a capability for routing only: it opens no
 * footage (the relay holds no key). {@link #toString()} never shows it; it is sent only in an
 * {@code Authorization: Bearer} header, never in a URL; the relay keeps only its SHA-256 digest
 * and compares digests in constant time ({@link MessageDigest#isEqual}).
 *
 * <p><b>Restrictions:</b> 16 to 256 characters of {@code [A-Za-z0-9._~+/=-]} (RFC 6750's
 * token68 alphabet). Use at least 128 bits of randomness, e.g. 22+ base64url characters; a
 * guessable token lets a stranger watch ciphertext timing and sizes (not footage) or publish
 * garbage that viewers will reject.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * RelayToken token = RelayToken.of(System.getenv("OBSCURA_SUBSCRIBE_TOKEN"));
 * }</pre>
 */
public final class RelayToken {
  /** The shortest token accepted, in characters. */
  public static final int MIN_LENGTH = 16;
  /** The longest token accepted, in characters. */
  public static final int MAX_LENGTH = 256;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._~+/=-]+");

  private final String value;

  private RelayToken(String value) {
    this.value = value;
  }

  /**
   * Wraps a token.
   *
   * @throws IllegalArgumentException if it is too short, too long or has a character outside the
   *     alphabet; the message never contains the token
   */
  public static RelayToken of(String value) {
    Objects.requireNonNull(value, "token");
    if (!isWellFormed(value)) {
      throw new IllegalArgumentException("token must be " + MIN_LENGTH + " to " + MAX_LENGTH
          + " characters of [A-Za-z0-9._~+/=-]");
    }
    return new RelayToken(value);
  }

  static boolean isWellFormed(String value) {
    return value.length() >= MIN_LENGTH
        && value.length() <= MAX_LENGTH
        && VALID.matcher(value).matches();
  }

  /** The value for an {@code Authorization} header. Package-private: only the clients send it. */
  String authorizationHeader() {
    return "Bearer " + value;
  }

  byte[] digest() {
    return digest(value);
  }

  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Constant-time comparison. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RelayToken t && MessageDigest.isEqual(t.digest(), digest());
  }

  @Override
  public int hashCode() {
    return 0; // no token-derived value leaves the object
  }

  @Override
  public String toString() {
    return "RelayToken[redacted]";
  }
}
