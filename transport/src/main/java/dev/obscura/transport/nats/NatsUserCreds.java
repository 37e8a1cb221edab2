package dev.obscura.transport.nats;

import dev.obscura.core.AtomicFiles;
import dev.obscura.core.MalformedDataException;
import io.nats.client.AuthHandler;
import io.nats.client.Nats;
import io.nats.client.support.JwtUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One NATS user's credentials, as in a jnats/nats-server {@code .creds} file: the user JWT (its
 * account's signed statement of what the user may publish and subscribe) and the user's NKey
 * seed (the secret that proves it is that user). Made by {@link NatsCredentials}; read by a
 * camera or viewer from the file its vendor provisioned.
 *
 * <p><b>Security guarantees:</b> the seed is a secret: it is never in {@code toString()}, a log
 * or an exception message; {@link #destroy()} overwrites it. The JWT is not secret (the server
 * sees it on every connect) but is not printed either.
 */
public final class NatsUserCreds {
  private static final Pattern JWT_BLOCK = Pattern.compile(
      "-----BEGIN NATS USER JWT-----\\s*\\R([A-Za-z0-9_=.-]+)\\s*\\R-*END NATS USER JWT-*");
  private static final Pattern SEED_BLOCK = Pattern.compile(
      "-----BEGIN USER NKEY SEED-----\\s*\\R(SU[A-Z2-7]+)\\s*\\R-*END USER NKEY SEED-*");

  private final String jwt;
  private final char[] seed;
  private final NatsJwt claims;

  NatsUserCreds(String jwt, char[] seed) throws MalformedDataException {
    this.jwt = Objects.requireNonNull(jwt, "jwt");
    this.seed = seed.clone();
    this.claims = NatsJwt.parse(jwt);
    if (!"user".equals(claims.type())) {
      throw new MalformedDataException("credentials hold a " + claims.type() + " JWT, not a user JWT");
    }
  }

  /**
   * Parses the text of a {@code .creds} file.
   *
   * @param text the file's text
   * @return the credentials
   * @throws MalformedDataException if the JWT or seed block is missing or the JWT is not a user JWT
   */
  public static NatsUserCreds parse(String text) throws MalformedDataException {
    Matcher j = JWT_BLOCK.matcher(text);
    Matcher s = SEED_BLOCK.matcher(text);
    if (!j.find() || !s.find()) {
      throw new MalformedDataException("not a NATS .creds file (user JWT or seed block missing)");
    }
    return new NatsUserCreds(j.group(1), s.group(1).toCharArray());
  }

  /**
   * Reads a {@code .creds} file.
   *
   * @param file the file
   * @return the credentials
   * @throws MalformedDataException if it is not a {@code .creds} file
   * @throws IOException if it cannot be read
   */
  public static NatsUserCreds read(Path file) throws IOException, MalformedDataException {
    byte[] b = Files.readAllBytes(file);
    try {
      return parse(new String(b, StandardCharsets.UTF_8));
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /**
   * Writes the {@code .creds} file (jnats and nats-server format), created readable by the owner
   * only where the file system has POSIX permissions.
   *
   * @param file where to write; it must not exist
   * @throws java.nio.file.FileAlreadyExistsException if it exists (a secret is never overwritten)
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    byte[] b = text().getBytes(StandardCharsets.UTF_8);
    try {
      AtomicFiles.writeNew(file, b, true);
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /**
   * The {@code .creds} file's text. It holds the seed: handle it as a secret.
   *
   * @return the text
   */
  public String text() {
    return String.format(JwtUtils.NATS_USER_JWT_FORMAT, jwt, new String(seed));
  }

  /**
   * @return the user JWT (not secret, but not for logs either)
   */
  public String jwt() {
    return jwt;
  }

  /**
   * @return the user's name (the JWT's {@code name} claim)
   */
  public String userName() {
    return claims.name();
  }

  /**
   * @return the user's public NKey ({@code U...})
   */
  public String publicKey() {
    return claims.subject();
  }

  /**
   * @return the public NKey of the account (the household) that issued the JWT ({@code A...})
   */
  public String accountPublicKey() {
    return claims.issuer();
  }

  /**
   * The household the credentials were minted for, from the JWT's tag {@value
   * NatsCredentials#HOUSEHOLD_TAG}{@code <household>} (set by {@link NatsCredentials}), so a
   * device needs only its {@code .creds} to know its subjects.
   *
   * @return the household, or empty if the JWT has no such tag
   */
  public java.util.Optional<String> household() {
    return java.util.Optional.ofNullable(claims.tag(NatsCredentials.HOUSEHOLD_TAG));
  }

  AuthHandler authHandler() {
    return Nats.staticCredentials(jwt.toCharArray(), seed.clone());
  }

  NatsJwt claims() {
    return claims;
  }

  /** Overwrites the seed; the credentials cannot connect afterwards. */
  public void destroy() {
    Arrays.fill(seed, '\0');
  }

  /** The user's name only; never the JWT or the seed. */
  @Override
  public String toString() {
    return "NatsUserCreds[user " + claims.name() + "]";
  }
}
