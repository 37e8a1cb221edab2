package dev.obscura.crypto.keys;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;

/** {@link KeyProtection#aead}: the wrapped bytes are {@code aead.encrypt(secret, ad)}. Not API. */
final class AeadKeyProtection implements KeyProtection {
  private final String scheme;
  private final Aead aead;

  AeadKeyProtection(String scheme, Aead aead) {
    this.scheme = scheme;
    this.aead = aead;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public byte[] wrap(byte[] secret, byte[] associatedData) throws GeneralSecurityException {
    return aead.encrypt(secret, associatedData);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    return aead.decrypt(wrapped, associatedData);
  }

  @Override
  public String toString() {
    return "KeyProtection[aead " + scheme + "]";
  }
}
