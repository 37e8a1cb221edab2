package dev.obscura.crypto.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.crypto.tink.subtle.Ed25519Verify;
import dev.obscura.core.IntegrityException;
import dev.obscura.crypto.chunked.TestVectors;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every case of Wycheproof {@code ed25519_test.json} against the SDK's signature path. {@link
 * VerifyingKey} signs and verifies {@code purpose prefix || message}, so the file's raw messages
 * go through the Tink {@link Ed25519Verify} it wraps, built as it builds it, from the key that
 * {@link VerifyingKey#fromRawBytes} accepted: valid signatures verify, invalid ones (bad
 * encodings, malleated S, wrong lengths) are refused. On top, {@link VerifyingKey#verify} itself
 * must refuse every file signature, valid or not: wrong lengths by its own check, the rest because
 * a signature over the bare message is not one over any purpose's bytes.
 */
class Ed25519WycheproofTest {
  @Test
  void everyCase() throws Exception {
    List<TestVectors.Case> cases = TestVectors.allCases("ed25519_test.json");
    int valid = 0;
    int invalid = 0;
    for (TestVectors.Case c : cases) {
      @SuppressWarnings("unchecked")
      String pk = ((Map<String, Object>) c.group().get("publicKey")).get("pk").toString();
      String id = "tcId " + c.tcId() + " " + c.flags();
      VerifyingKey key = VerifyingKey.fromRawBytes(HexFormat.of().parseHex(pk));
      Ed25519Verify tink = new Ed25519Verify(key.rawBytes());
      byte[] msg = c.hex("msg");
      byte[] sig = c.hex("sig");
      if (c.result().equals("valid")) {
        valid++;
        try {
          tink.verify(sig, msg);
        } catch (GeneralSecurityException e) {
          fail("valid signature refused: " + id + ": " + e);
        }
      } else {
        assertEquals("invalid", c.result(), id);
        invalid++;
        assertThrows(GeneralSecurityException.class, () -> tink.verify(sig, msg),
            "invalid signature accepted: " + id);
      }
      for (SignaturePurpose p : SignaturePurpose.values()) {
        assertThrows(IntegrityException.class, () -> key.verify(p, msg, sig), id + " as " + p);
      }
    }
    assertEquals(88, valid, "valid cases (pinned: a shorter file fails)");
    assertEquals(63, invalid, "invalid cases (pinned)");
    long wrongLength =
        cases.stream().filter(c -> c.hex("sig").length != VerifyingKey.SIGNATURE_LENGTH).count();
    System.out.printf("ed25519_test.json (Tink Ed25519Verify under VerifyingKey): %d cases run (%d"
        + " valid, %d invalid, of which %d of the wrong length)%n", cases.size(), valid, invalid,
        wrongLength);
  }
}
