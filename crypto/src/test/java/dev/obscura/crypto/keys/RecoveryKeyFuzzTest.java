package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Fuzzes the recovery key: its binary encoding (as a roster carries it) and the recovery code a
 * user types. {@link RecoveryKey#decode} of arbitrary bytes either fails with the documented
 * {@link IllegalArgumentException} or gives a key whose encoding is the input byte for byte (the
 * encoding is fixed-size and canonical); the default floor never accepts what the test floor
 * refuses. The same bytes, as text, unlock a fixed recovery key only if they are its code (up to
 * case, dashes and spaces); anything else is a {@link WrongPassphraseException} (or, for an empty
 * secret, the documented {@link IllegalArgumentException}). Argon2id runs at m=8 KiB, t=1.
 */
class RecoveryKeyFuzzTest {
  private static final String CODE = RecoveryKey.newRecoveryCode(EntropySource.insecureDeterministicForTests(14));
  private static final RecoveryKey FIXED = RecoveryKey.create(CODE.toCharArray(), Argon2idParams.of(8, 1, 1),
      EntropySource.insecureDeterministicForTests(15));

  @FuzzTest(maxDuration = "60s")
  void decodeAndUnlock(byte[] data) {
    RecoveryKey k = null;
    try {
      k = RecoveryKey.decode(data, Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS);
    } catch (IllegalArgumentException expected) {
      // typed
    }
    boolean defaultFloor;
    try {
      RecoveryKey d = RecoveryKey.decode(data);
      defaultFloor = true;
      assertArrayEquals(data, d.encode());
    } catch (IllegalArgumentException expected) {
      defaultFloor = false;
    }
    if (defaultFloor && k == null) {
      throw new AssertionError("the default floor accepted what the test floor refused");
    }
    if (k != null) {
      assertArrayEquals(data, k.encode(), "the recovery key encoding is canonical");
      RecoveryKey back = RecoveryKey.decode(k.encode(), Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS);
      assertEquals(k, back);
      assertEquals(k.fingerprint(), back.fingerprint());
      assertEquals(k.recipient(), back.recipient());
      assertEquals(k.params(), back.params());
    }
    String typed = new String(data, StandardCharsets.UTF_8);
    try {
      ViewerIdentity id = FIXED.unlock(typed.toCharArray());
      String norm = typed.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
      if (!typed.equals(CODE) && !norm.equals(CODE.replace("-", ""))) {
        throw new AssertionError("unlocked by something other than its code: " + typed);
      }
      assertEquals(FIXED.recipient(), id.publicKey());
    } catch (WrongPassphraseException expected) {
      // typed
    } catch (IllegalArgumentException expected) {
      if (!typed.isEmpty()) {
        throw new AssertionError("a non-empty secret refused untyped", expected);
      }
    }
  }
}
