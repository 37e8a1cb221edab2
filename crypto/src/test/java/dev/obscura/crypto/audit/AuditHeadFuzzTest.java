package dev.obscura.crypto.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link AuditHead#parse}, the {@code SEQ:HEX} text a device keeps of the newest audit
 * entry it saw: it fails only with {@link IllegalArgumentException} (its documented failure,
 * {@link NumberFormatException} included); a head that parses prints ({@link AuditHead#toText})
 * to text that parses to an equal head, and that text is the input when the input was canonical
 * (the text form is not: {@code Long.parseLong} takes a sign and leading zeros, hex digits
 * either case). Seeds: {@code AuditHeadFuzzTestInputs/}.
 */
class AuditHeadFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parsePrint(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    AuditHead h;
    try {
      h = AuditHead.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    String printed = h.toText();
    assertEquals(h, AuditHead.parse(printed));
    assertEquals(printed, AuditHead.parse(printed).toText());
    if (text.matches("(0|[1-9][0-9]*):[0-9a-f]{64}")) {
      assertEquals(text, printed, "a canonical audit head does not print back to itself");
    }
  }
}
