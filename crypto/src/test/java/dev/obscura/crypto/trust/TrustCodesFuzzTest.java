package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes what a user is handed to pair a camera or enrol a device: the pairing code and the
 * enrolment code (as text), and the pairing record (as bytes, as the store serves it). Codes fail
 * only with the documented {@link IllegalArgumentException}, the record only with {@link
 * MalformedDataException}. What parses survives a round trip: a code re-printed parses to the same
 * parts, and its printed form is a fixed point (the typed form is not canonical: case, spaces and
 * dashes are free); a pairing record's encoding is canonical (fixed size), so it re-encodes to
 * the input byte for byte.
 */
class TrustCodesFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parseCodesAndRecords(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    pairingCode(text);
    enrolmentCode(text);
    pairingRecord(data);
  }

  private static void pairingCode(String text) {
    PairingCode c;
    try {
      c = PairingCode.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    String printed = c.toCodeString();
    PairingCode back = PairingCode.parse(printed);
    assertArrayEquals(c.cameraFingerprint(), back.cameraFingerprint());
    assertArrayEquals(c.secret().toByteArray(InsecureSecretAccess.get()),
        back.secret().toByteArray(InsecureSecretAccess.get()));
    assertEquals(printed, back.toCodeString());
    if (c.toString().contains(printed)) {
      throw new AssertionError("a pairing code's toString shows the code");
    }
  }

  private static void enrolmentCode(String text) {
    EnrolmentCode c;
    try {
      c = EnrolmentCode.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    EnrolmentCode back = EnrolmentCode.parse(c.toString());
    assertEquals(c, back);
    assertEquals(c.toString(), back.toString());
  }

  private static void pairingRecord(byte[] data) {
    PairingRecord r;
    try {
      r = PairingRecord.parse(data);
    } catch (MalformedDataException expected) {
      return;
    }
    assertArrayEquals(data, r.encode(), "a pairing record's encoding is canonical");
    try {
      PairingRecord back = PairingRecord.parse(r.encode());
      assertEquals(r.version(), back.version());
      assertEquals(r.camera(), back.camera());
    } catch (MalformedDataException e) {
      throw new AssertionError("an encoded pairing record does not parse", e);
    }
  }
}
