package dev.obscura.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * The one place the SDK's hot-path primitives are looked up: (JCA name, provider) to a {@link
 * Cipher} or {@link Mac}. A {@code null} provider means the platform's preferred one (no provider
 * is named anywhere: on a stock JDK that is SunJCE, on Android the platform's); any other is
 * asked directly, and only it. Lookups happen when a sealer, reader or key is set up, never per
 * frame or chunk.
 */
public final class Jca {
  private Jca() {}

  /**
   * A {@link Cipher} for {@code transformation} from {@code provider}.
   *
   * @param transformation the JCA transformation, e.g. {@code "AES/GCM/NoPadding"}
   * @param provider the provider to use, or {@code null} for the platform's preferred one
   * @return a new cipher, not initialised
   * @throws IllegalStateException if the provider (or the platform) lacks the transformation
   */
  public static Cipher cipher(String transformation, Provider provider) {
    try {
      return provider == null ? Cipher.getInstance(transformation)
          : Cipher.getInstance(transformation, provider);
    } catch (GeneralSecurityException e) {
      throw missing(transformation, provider, e);
    }
  }

  /**
   * A {@link Mac} for {@code algorithm} from {@code provider}.
   *
   * @param algorithm the JCA MAC name, e.g. {@code "HmacSHA256"}
   * @param provider the provider to use, or {@code null} for the platform's preferred one
   * @return a new MAC, not initialised
   * @throws IllegalStateException if the provider (or the platform) lacks the algorithm
   */
  public static Mac mac(String algorithm, Provider provider) {
    try {
      return provider == null ? Mac.getInstance(algorithm) : Mac.getInstance(algorithm, provider);
    } catch (GeneralSecurityException e) {
      throw missing(algorithm, provider, e);
    }
  }

  /**
   * How a provider is named in messages: its own name, or "the platform's default".
   *
   * @param provider a provider, or {@code null}
   * @return a short description for an error message
   */
  public static String describe(Provider provider) {
    return provider == null ? "the platform's default JCA provider"
        : "JCA provider " + provider.getName();
  }

  private static IllegalStateException missing(String algorithm, Provider provider,
      GeneralSecurityException e) {
    return new IllegalStateException(describe(provider) + " does not provide " + algorithm, e);
  }
}
