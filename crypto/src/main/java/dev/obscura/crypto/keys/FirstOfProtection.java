package dev.obscura.crypto.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

/** {@link KeyProtection#firstOf}. Not API. */
final class FirstOfProtection implements KeyProtection {
  private final KeyProtection[] all;

  FirstOfProtection(KeyProtection[] all) {
    this.all = all;
  }

  @Override
  public String scheme() {
    return all[0].scheme();
  }

  @Override
  public byte[] wrap(byte[] secret, byte[] associatedData) throws IOException, GeneralSecurityException {
    return all[0].wrap(secret, associatedData);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws IOException, GeneralSecurityException {
    return all[0].unwrap(wrapped, associatedData);
  }

  @Override
  public Optional<KeyProtection> forScheme(String scheme) {
    for (KeyProtection p : all) {
      Optional<KeyProtection> found = p.forScheme(scheme);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "KeyProtection" + Arrays.toString(all);
  }
}
