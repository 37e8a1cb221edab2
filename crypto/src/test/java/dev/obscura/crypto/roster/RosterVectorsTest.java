package dev.obscura.crypto.roster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.testing.VectorFiles;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.PairingRecord;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The committed roster vectors (format 2) are what the code generates, and each meets its
 * expectation: the valid ones verify (and their pairing record authenticates them), every invalid
 * one is refused for the reason it names.
 */
class RosterVectorsTest {
  static final String KIND = "roster";
  /** The rule each NOT_SUCCESSOR vector breaks (one reason, several rules). */
  static final Map<String, String> WHY = Map.of(
      "camera-dropped", "drops the camera key",
      "camera-since-wrong", "wrong version its camera key is in force from",
      "camera-since-moved", "wrong version its camera key is in force from",
      "signed-before-predecessor", "signed before the version it follows");

  @Test
  void committedVectorsMatchTheGenerator() throws Exception {
    VectorFiles.check(KIND, RosterVectors.generate());
  }

  @Test
  void everyVectorMeetsItsExpectation() throws Exception {
    List<Map<String, String>> vectors = VectorFiles.read(KIND);
    Set<String> expectations = new TreeSet<>();
    int refused = 0;
    for (Map<String, String> v : vectors) {
      String name = v.get("scenario");
      String expect = v.get("expect");
      expectations.add(expect);
      byte[] bytes = HexFormat.of().parseHex(v.get("roster"));
      Roster trusted = v.get("trusted").equals("none") ? null : Roster.parse(HexFormat.of().parseHex(v.get("trusted")));
      if (expect.equals("MalformedDataException")) {
        assertThrows(MalformedDataException.class, () -> Roster.parse(bytes), name);
        refused++;
        continue;
      }
      Roster r = Roster.parse(bytes);
      assertEquals(Roster.FORMAT, bytes[4], name + ": roster format");
      if (v.containsKey("pairing-code")) {
        PairingCode code = PairingCode.parse(v.get("pairing-code"));
        PairingRecord record = PairingRecord.parse(HexFormat.of().parseHex(v.get("pairing-record")));
        boolean ok = record.authenticates(r, r.camera().orElseThrow(), code.secret());
        assertTrue(code.names(r.camera().orElseThrow()), name + ": the code names the camera pinned");
        if (expect.equals("NOT_PAIRED")) {
          assertFalse(ok, name + ": the camera's pairing secret must not authenticate this roster");
          refused++;
          continue;
        }
        assertTrue(ok, name + ": the pairing record authenticates the roster");
        assertArrayEquals(PairingRecord.create(r, code).encode(), HexFormat.of().parseHex(v.get("pairing-record")),
            name + ": the record is HMAC-SHA256 under the code's secret");
      }
      if (expect.equals("valid")) {
        if (trusted == null) {
          r.verifyGenesis();
        } else {
          r.verifySuccessorOf(trusted);
        }
        assertEquals(v.get("digest"), HexFormat.of().formatHex(r.digest()), name);
        assertEquals(v.get("fingerprint"), r.fingerprint(), name);
      } else {
        RosterRejectedException e = assertThrows(RosterRejectedException.class,
            () -> { if (trusted == null) r.verifyGenesis(); else r.verifySuccessorOf(trusted); }, name);
        assertEquals(RosterRejectedException.Reason.valueOf(expect), e.reason(), name + ": " + e.getMessage());
        String why = WHY.get(name);
        assertTrue(why == null || e.getMessage().contains(why), name + ": refused for another rule: " + e.getMessage());
        refused++;
      }
    }
    assertEquals(17, vectors.size(), "vectors");
    assertEquals(13, refused, "invalid vectors refused");
    assertTrue(expectations.containsAll(Set.of("valid", "NOT_PAIRED", "BAD_SIGNATURE", "SIGNER_NOT_MEMBER",
        "SIGNER_REVOKED", "ROLLBACK", "NOT_SUCCESSOR", "MalformedDataException")), expectations.toString());
  }
}
