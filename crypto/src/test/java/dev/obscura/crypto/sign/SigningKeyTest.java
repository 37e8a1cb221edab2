package dev.obscura.crypto.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.transport.testing.SecretScan;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningKeyTest {
  private final byte[] message = "roster v2".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsAndVerifiesPerPurpose() throws Exception {
    SigningKey key = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
    byte[] sig = key.sign(SignaturePurpose.ROSTER, message);
    assertEquals(64, sig.length);
    key.verifyingKey().verify(SignaturePurpose.ROSTER, message, sig);
    // the same signature is worthless for another purpose, another message or another key
    assertThrows(IntegrityException.class,
        () -> key.verifyingKey().verify(SignaturePurpose.AUDIT_ENTRY, message, sig));
    assertThrows(IntegrityException.class,
        () -> key.verifyingKey().verify(SignaturePurpose.ROSTER, "roster v3".getBytes(StandardCharsets.UTF_8), sig));
    SigningKey other = SigningKey.generate(EntropySource.insecureDeterministicForTests(2));
    assertThrows(IntegrityException.class,
        () -> other.verifyingKey().verify(SignaturePurpose.ROSTER, message, sig));
    for (int bit = 0; bit < sig.length * 8; bit += 7) {
      byte[] bad = sig.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(IntegrityException.class,
          () -> key.verifyingKey().verify(SignaturePurpose.ROSTER, message, bad));
    }
    assertThrows(IntegrityException.class,
        () -> key.verifyingKey().verify(SignaturePurpose.ROSTER, message, new byte[63]));
  }

  @Test
  void seedRoundTripsAndNeverPrints() {
    SigningKey key = SigningKey.generate(EntropySource.insecureDeterministicForTests(3));
    SigningKey again = SigningKey.fromSeed(key.seed());
    assertEquals(key.verifyingKey(), again.verifyingKey());
    assertArrayEquals(key.verifyingKey().rawBytes(), again.verifyingKey().rawBytes());
    byte[] seed = key.seed().toByteArray(InsecureSecretAccess.get());
    SecretScan.assertNoLeak(key + "\n" + key.seed() + "\n" + key.verifyingKey(), seed);
    assertTrue(key.toString().contains(key.verifyingKey().keyIdHex()));
    assertTrue(key.verifyingKey().fingerprint().matches("\\d{5}( \\d{5}){5}"));
  }
}
