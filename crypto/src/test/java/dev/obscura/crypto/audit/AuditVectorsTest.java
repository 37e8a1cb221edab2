package dev.obscura.crypto.audit;

import static dev.obscura.crypto.testing.VectorFiles.flip;
import static dev.obscura.crypto.testing.VectorFiles.set;
import static dev.obscura.crypto.testing.VectorFiles.setShort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EntropySource;
import dev.obscura.core.ObscuraException;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.testing.VectorFiles;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/spec/vectors/audit/}: one audit entry per file, generated from deterministic keys,
 * checked byte for byte and against each {@code expect:} line.
 */
class AuditVectorsTest {
  static Map<String, String> generate() {
    SigningKey phone = SigningKey.generate(EntropySource.insecureDeterministicForTests(2026));
    Instant t = Instant.parse("2026-11-26T15:00:00.123456Z");
    AuditEntry first = AuditEntry.sign(0, t, AuditEntry.Type.ENROL, phone, new byte[32],
        HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
    AuditEntry second = AuditEntry.sign(1, t.plusSeconds(60), AuditEntry.Type.SHARE, phone,
        first.hash(), new byte[0]);
    byte[] b = first.encode();
    Map<String, String> out = new LinkedHashMap<>();
    add(out, phone, "valid-entry-0", "valid", "Entry 0: an enrolment with a 16-byte payload.", b);
    add(out, phone, "valid-entry-1", "valid", "Entry 1, chained to entry 0, empty payload.",
        second.encode());
    add(out, phone, "flipped-payload-bit", "IntegrityException", "One payload bit flipped.",
        flip(b, 88));
    add(out, phone, "flipped-previous-hash-bit", "IntegrityException",
        "One bit of the previous hash flipped.", flip(b, 60));
    add(out, phone, "sequence-changed", "IntegrityException", "Sequence 0 became 1.", flip(b, 12));
    add(out, phone, "unknown-type", "MalformedDataException", "Type 0.", set(b, 21, 0));
    add(out, phone, "bad-magic", "MalformedDataException", "Magic OBSB.", set(b, 3, 'B'));
    add(out, phone, "payload-length-too-large", "MalformedDataException",
        "Payload length 0xffff in a short entry.", setShort(b, 86, 0xffff));
    add(out, phone, "cut-inside-signature", "MalformedDataException", "Last byte missing.",
        java.util.Arrays.copyOf(b, b.length - 1));
    return out;
  }

  static void add(Map<String, String> out, SigningKey actor, String scenario, String expect,
      String comment, byte[] entry) {
    String hash = "";
    if (expect.equals("valid")) {
      try {
        hash = "\nhash: " + HexFormat.of().formatHex(AuditEntry.parse(entry).hash());
      } catch (ObscuraException e) {
        throw new AssertionError(e);
      }
    }
    out.put(scenario + ".txt", "scenario: " + scenario + "\nexpect: " + expect + "\ncomment: "
        + comment + "\nactor_public_key: " + HexFormat.of().formatHex(actor.verifyingKey().rawBytes())
        + "\nentry: " + HexFormat.of().formatHex(entry) + hash + "\n");
  }

  @Test
  void committedVectorsMatchTheGenerator() throws Exception {
    VectorFiles.check("audit", generate());
  }

  @Test
  void everyVectorMeetsItsExpectation() throws Exception {
    int valid = VectorFiles.checkExpectations("audit", v -> {
      VerifyingKey actor = VerifyingKey.fromRawBytes(HexFormat.of().parseHex(v.get("actor_public_key")));
      byte[] bytes = HexFormat.of().parseHex(v.get("entry"));
      AuditEntry e = AuditEntry.parse(bytes);
      e.verifySignature();
      assertEquals(actor, e.actor());
      assertArrayEquals(bytes, e.encode());
      assertEquals(v.get("hash"), HexFormat.of().formatHex(e.hash()));
    }, v -> {
      byte[] bytes = HexFormat.of().parseHex(v.get("entry"));
      return () -> AuditEntry.parse(bytes).verifySignature();
    });
    assertEquals(2, valid);
    // checkExpectations made every other vector throw its named exception: exactly 7 of them
    assertEquals(7, VectorFiles.read("audit").size() - valid, "invalid vectors refused");
  }
}
