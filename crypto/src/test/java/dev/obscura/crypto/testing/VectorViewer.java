package dev.obscura.crypto.testing;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A viewer of the spec vectors: a deterministic {@link ViewerIdentity} and its X25519 private key
 * (the first draw of its entropy, clamped as RFC 7748 and the SDK clamp it), which the vector
 * files state so that another implementation can open what was wrapped to it.
 */
public record VectorViewer(ViewerIdentity identity, byte[] privateKey) {
  /** The viewer made from {@code EntropySource.insecureDeterministicForTests(seed)}. */
  public static VectorViewer generate(long seed) {
    EntropySource source = EntropySource.insecureDeterministicForTests(seed);
    List<byte[]> draws = new ArrayList<>();
    ViewerIdentity id = ViewerIdentity.generate(b -> {
      source.nextBytes(b);
      draws.add(b.clone());
    });
    return new VectorViewer(id, clamp(draws.get(0)));
  }

  public ViewerPublicKey publicKey() {
    return identity.publicKey();
  }

  /**
   * An identity with the X25519 private key a vector file states (its Ed25519 key, which opening
   * does not use, is arbitrary).
   */
  public static ViewerIdentity identity(byte[] privateKey) {
    EntropySource rest = EntropySource.insecureDeterministicForTests(0);
    boolean[] first = {true};
    return ViewerIdentity.generate(b -> {
      if (first[0]) {
        first[0] = false;
        System.arraycopy(privateKey, 0, b, 0, 32);
      } else {
        rest.nextBytes(b);
      }
    });
  }

  /** RFC 7748 section 5 clamping. */
  public static byte[] clamp(byte[] k) {
    byte[] c = k.clone();
    c[0] &= (byte) 248;
    c[31] &= 127;
    c[31] |= 64;
    return c;
  }

  /** The parts, one after the other. */
  public static byte[] cat(byte[]... parts) {
    return org.bouncycastle.util.Arrays.concatenate(parts);
  }
}
