package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.TestSecrets;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;

class PairingCodeTest {
  static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  final VerifyingKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(1)).verifyingKey();
  final VerifyingKey other = SigningKey.generate(EntropySource.insecureDeterministicForTests(2)).verifyingKey();
  final PairingCode code = PairingCode.generate(camera, EntropySource.insecureDeterministicForTests(3));

  static byte[] secret(PairingCode c) {
    return c.secret().toByteArray(InsecureSecretAccess.get());
  }

  @Test
  void roundTripsThroughItsPrintedForm() {
    String printed = code.toCodeString();
    assertTrue(printed.matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){11}"), printed);
    PairingCode back = PairingCode.parse(printed);
    assertArrayEquals(code.cameraFingerprint(), back.cameraFingerprint());
    assertArrayEquals(secret(code), secret(back));
    assertEquals(printed, back.toCodeString());
    assertTrue(back.names(camera));
    assertFalse(back.names(other));
    assertArrayEquals(Arrays.copyOf(camera.keyId(), PairingCode.FINGERPRINT_BYTES), code.cameraFingerprint());
    // the layout: fingerprint (12) | secret (16) | check (2)
    byte[] raw = Base32.decode(printed.replace("-", ""));
    assertEquals(30, raw.length);
    assertArrayEquals(code.cameraFingerprint(), Arrays.copyOf(raw, 12));
    assertArrayEquals(secret(code), Arrays.copyOfRange(raw, 12, 28));
    // the camera reads its own code back from its secret
    PairingCode own = PairingCode.of(camera, SecretBytes.copyFrom(secret(code), InsecureSecretAccess.get()));
    assertEquals(printed, own.toCodeString());
  }

  @Test
  void freshCodesHaveFreshSecrets() {
    PairingCode another = PairingCode.generate(camera, EntropySource.insecureDeterministicForTests(4));
    assertArrayEquals(code.cameraFingerprint(), another.cameraFingerprint());
    assertFalse(Arrays.equals(secret(code), secret(another)));
  }

  @Test
  void caseDashesAndSpacesAreIgnored() {
    String printed = code.toCodeString();
    String bare = printed.replace("-", "");
    for (String typed : new String[] {
        printed.toLowerCase(Locale.ROOT), bare, printed.replace('-', ' '), "  " + bare + "\n",
        bare.substring(0, 10) + " - " + bare.substring(10).toLowerCase(Locale.ROOT), printed.replace("-", "\t")}) {
      assertEquals(printed, PairingCode.parse(typed).toCodeString(), typed);
    }
  }

  @Test
  void everySingleCharacterTypoIsCaughtByTheCheck() {
    String bare = code.toCodeString().replace("-", "");
    int tried = 0;
    for (int i = 0; i < bare.length(); i++) {
      for (char c : ALPHABET.toCharArray()) {
        if (c == bare.charAt(i)) {
          continue;
        }
        String typo = bare.substring(0, i) + c + bare.substring(i + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairingCode.parse(typo),
            "position " + i + " as " + c);
        assertTrue(e.getMessage().contains("mistyped"), e.getMessage());
        assertFalse(e.getMessage().contains(typo) || e.getMessage().contains(bare.substring(12, 40)), e.getMessage());
        tried++;
      }
    }
    assertEquals(48 * 31, tried);
  }

  @Test
  void wrongLengthsAndCharactersAreRefusedWithoutRepeatingTheCode() {
    String bare = code.toCodeString().replace("-", "");
    for (String bad : new String[] {"", bare.substring(1), bare + "A", bare.substring(0, 47) + "1",
        bare.substring(0, 47) + "0", bare.substring(0, 47) + "=", bare.substring(0, 47) + "é"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairingCode.parse(bad), bad);
      assertTrue(e.getMessage().contains("expected 48 base32 characters"), e.getMessage());
      assertFalse(bad.length() > 10 && e.getMessage().contains(bad.substring(12, 40)), e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> PairingCode.parse(null));
    assertThrows(IllegalArgumentException.class,
        () -> PairingCode.of(camera, SecretBytes.copyFrom(new byte[15], InsecureSecretAccess.get())));
  }

  @Test
  void toStringShowsTheFingerprintAndHidesTheSecret() {
    String s = code.toString();
    assertTrue(s.contains("secret hidden"), s);
    assertTrue(s.contains(java.util.HexFormat.of().formatHex(code.cameraFingerprint())), s);
    TestSecrets.assertNoLeak(s, secret(code));
    String printed = code.toCodeString();
    assertFalse(s.contains(printed) || s.contains(printed.replace("-", "")), s);
    assertFalse(s.contains(Base32.toBase32String(secret(code)).substring(0, 8)), s);
    assertFalse(code.secret().toString().contains(printed.substring(15, 25)));
    TestSecrets.assertNoLeak(code.secret().toString(), secret(code));
  }

  @Test
  void destroyForgetsTheSecret() {
    PairingCode c = PairingCode.parse(code.toCodeString());
    c.destroy();
    assertTrue(c.secret().isDestroyed());
    assertThrows(IllegalStateException.class, c::toCodeString);
    assertTrue(c.names(camera), "the public part stays");
  }
}
