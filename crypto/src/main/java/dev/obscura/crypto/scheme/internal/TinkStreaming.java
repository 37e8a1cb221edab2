package dev.obscura.crypto.scheme.internal;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;

/**
 * Tink's streaming AEAD through its public keyset API only, shared by the {@code tink-streaming}
 * scheme and the Tink export.
 */
public final class TinkStreaming {
  private TinkStreaming() {}

  /**
   * Registers Tink's streaming AEAD key managers (idempotent).
   *
   * @throws GeneralSecurityException if Tink refuses
   */
  public static void register() throws GeneralSecurityException {
    StreamingAeadConfig.register();
  }

  /**
   * A one-key keyset of {@code parameters} with {@code key} as its initial key material.
   *
   * @param parameters the AES-GCM-HKDF streaming parameters
   * @param key the key material ({@code parameters}' key size; copied)
   * @return the keyset
   * @throws GeneralSecurityException if Tink refuses the key
   */
  public static KeysetHandle keyset(AesGcmHkdfStreamingParameters parameters, byte[] key)
      throws GeneralSecurityException {
    register();
    AesGcmHkdfStreamingKey k = AesGcmHkdfStreamingKey.create(parameters,
        SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()));
    return KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(k).withRandomId().makePrimary())
        .build();
  }

  /**
   * The keyset's streaming AEAD primitive.
   *
   * @param keyset the keyset
   * @return its primitive
   * @throws GeneralSecurityException if Tink refuses
   */
  public static StreamingAead primitive(KeysetHandle keyset) throws GeneralSecurityException {
    register();
    return keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
  }
}
