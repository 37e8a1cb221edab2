package dev.obscura.crypto.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Deterministic HPKE SealBase for spec vectors (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-256-GCM), by Bouncy Castle's HPKE ({@code org.bouncycastle.crypto.hpke}), with
 * the ephemeral key DeriveKeyPair(ikm_e), as RFC 9180's own test vectors are made. The SDK's HPKE
 * (Tink) draws its ephemeral key itself, so its output cannot be pinned in a file.
 *
 * <p>Bouncy Castle does not expose the shared secret, key and base nonce; they are read out of its
 * objects by reflection (a test-only dependency on its internals, which fails loudly if they
 * change), so that the files can state them for other implementations to check step by step.
 */
public final class BcHpke {
  private BcHpke() {}

  /**
   * One SealBase: {@code skE} is Bouncy Castle's serialization of the ephemeral private key (the
   * RFC 7748 clamped scalar), {@code ct} the AES-256-GCM ciphertext and tag of the single message.
   */
  public record Sealed(byte[] ikmE, byte[] skE, byte[] enc, byte[] sharedSecret, byte[] key,
      byte[] baseNonce, byte[] ct) {}

  /** SealBase(pkR, info, aad = empty, pt) with the ephemeral key DeriveKeyPair(ikmE). */
  public static Sealed seal(byte[] pkR, byte[] info, byte[] pt, byte[] ikmE) {
    try {
      HPKE hpke = new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
      AsymmetricCipherKeyPair kpE = hpke.deriveKeyPair(ikmE);
      AsymmetricKeyParameter recipient = hpke.deserializePublicKey(pkR);
      HPKEContextWithEncapsulation ctx = hpke.setupBaseS(recipient, info, kpE);
      Object aead = field(HPKEContext.class, "aead").get(ctx);
      byte[] key = ((byte[]) field(aead.getClass(), "key").get(aead)).clone();
      byte[] baseNonce = ((byte[]) field(aead.getClass(), "baseNonce").get(aead)).clone();
      byte[] ct = ctx.seal(new byte[0], pt);
      byte[] enc = ctx.getEncapsulation();
      // DHKEM Encap(pkR, kpE) again, for the shared secret (it is deterministic given kpE)
      Object kem = field(HPKE.class, "kem").get(hpke);
      Method encap = kem.getClass().getDeclaredMethod("Encap", AsymmetricKeyParameter.class,
          AsymmetricCipherKeyPair.class);
      encap.setAccessible(true);
      byte[][] sharedAndEnc = (byte[][]) encap.invoke(kem, recipient, kpE);
      if (!java.util.Arrays.equals(enc, sharedAndEnc[1])) {
        throw new IllegalStateException("Bouncy Castle's Encap gave another enc");
      }
      return new Sealed(ikmE.clone(), hpke.serializePrivateKey(kpE.getPrivate()), enc, sharedAndEnc[0], key,
          baseNonce, ct);
    } catch (ReflectiveOperationException | InvalidCipherTextException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field field(Class<?> c, String name) throws NoSuchFieldException {
    Field f = c.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
