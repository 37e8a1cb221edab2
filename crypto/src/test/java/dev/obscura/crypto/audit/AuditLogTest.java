package dev.obscura.crypto.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.testing.MemStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditLogTest {
  final MemStore store = new MemStore();
  final SigningKey phone = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
  final SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(2));
  final SigningKey intruder = SigningKey.generate(EntropySource.insecureDeterministicForTests(3));
  final List<VerifyingKey> trusted = List.of(phone.verifyingKey(), camera.verifyingKey());
  final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  /** Five entries: enrol, rotate, share, revoke, recovery. */
  AuditLogTest() throws Exception {
    AuditLog.append(store, phone, AuditEntry.Type.ENROL, new byte[] {1, 2, 3}, clock);
    AuditLog.append(store, camera, AuditEntry.Type.ROTATE, new byte[] {4}, clock);
    AuditLog.append(store, phone, AuditEntry.Type.SHARE, new byte[40], clock);
    AuditLog.append(store, phone, AuditEntry.Type.REVOKE, new byte[] {5}, clock);
    AuditLog.append(store, phone, AuditEntry.Type.RECOVERY, new byte[0], clock);
  }

  byte[] get(long seq) {
    return store.objects.get(AuditLog.objectName(seq));
  }

  void put(long seq, byte[] b) {
    store.objects.put(AuditLog.objectName(seq), b);
  }

  AuditReport verify() throws Exception {
    return AuditLog.verify(store, trusted);
  }

  static boolean mentions(AuditReport r, String s) {
    return r.problems().stream().anyMatch(p -> p.contains(s));
  }

  @Test
  void anIntactLogVerifies() throws Exception {
    AuditReport r = verify();
    assertTrue(r.verified(), r.problems().toString());
    assertEquals(5, r.entries().size());
    assertEquals(List.of(AuditEntry.Type.ENROL, AuditEntry.Type.ROTATE, AuditEntry.Type.SHARE,
        AuditEntry.Type.REVOKE, AuditEntry.Type.RECOVERY),
        r.entries().stream().map(AuditEntry::type).toList());
    assertEquals(4, r.head().orElseThrow().sequence());
    assertEquals(r.head().orElseThrow(), AuditHead.parse(r.head().orElseThrow().toText()));
    assertTrue(AuditLog.verify(store, trusted, r.head().orElseThrow()).verified());
    assertTrue(AuditLog.verify(new MemStore(), trusted).verified());
  }

  @Test
  void aDeletedEntryIsDetected() throws Exception {
    store.objects.remove(AuditLog.objectName(2));
    AuditReport r = verify();
    assertFalse(r.verified());
    assertTrue(mentions(r, "entry 2 missing"), r.problems().toString());
    store.objects.remove(AuditLog.objectName(0));
    assertTrue(mentions(verify(), "entry 0 missing"), verify().problems().toString());
  }

  @Test
  void aDeletedEntryWithTheRestRenumberedIsDetected() throws Exception {
    // delete entry 1 and move 2..4 down to 1..3
    for (long s = 1; s < 4; s++) {
      put(s, get(s + 1));
    }
    store.objects.remove(AuditLog.objectName(4));
    AuditReport r = verify();
    assertTrue(mentions(r, "moved or reordered"), r.problems().toString());
    assertTrue(mentions(r, "does not follow"), r.problems().toString());
  }

  @Test
  void anEditedEntryIsDetected() throws Exception {
    for (int i = 0; i < get(1).length; i++) {
      byte[] orig = get(1);
      byte[] t = orig.clone();
      t[i] ^= 0x01;
      put(1, t);
      AuditReport r = verify();
      assertFalse(r.verified(), "byte " + i);
      put(1, orig);
    }
    assertTrue(verify().verified());
  }

  @Test
  void anEntryReplacedByOneTheActorReSignedIsDetected() throws Exception {
    // the phone itself (or someone with its key) rewrites entry 2 later: the chain breaks
    AuditEntry old = AuditEntry.parse(get(2));
    AuditEntry forged = AuditEntry.sign(2, old.time(), AuditEntry.Type.OTHER, phone,
        old.previousHash(), new byte[] {9});
    put(2, forged.encode());
    AuditReport r = verify();
    assertTrue(mentions(r, "entry 3 does not follow"), r.problems().toString());
  }

  @Test
  void reorderedEntriesAreDetected() throws Exception {
    byte[] one = get(1);
    put(1, get(2));
    put(2, one);
    AuditReport r = verify();
    assertTrue(mentions(r, "moved or reordered"), r.problems().toString());
    assertTrue(mentions(r, "does not follow"), r.problems().toString());
  }

  @Test
  void anEntryByAnUnknownKeyIsDetected() throws Exception {
    AuditLog.append(store, intruder, AuditEntry.Type.ENROL, new byte[] {7}, clock);
    AuditReport r = verify();
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(mentions(r, "entry 5 is signed by an unknown key " + intruder.verifyingKey().keyIdHex()));
  }

  @Test
  void tailTruncationNeedsARememberedHead() throws Exception {
    AuditHead head = verify().head().orElseThrow();
    store.objects.remove(AuditLog.objectName(4));
    store.objects.remove(AuditLog.objectName(3));
    assertTrue(verify().verified()); // undetectable without a head, as documented
    AuditReport r = AuditLog.verify(store, trusted, head);
    assertTrue(mentions(r, "truncated"), r.problems().toString());
    // truncated and regrown to the same length: the head's hash differs
    AuditLog.append(store, phone, AuditEntry.Type.OTHER, new byte[0], clock);
    AuditLog.append(store, phone, AuditEntry.Type.OTHER, new byte[0], clock);
    assertTrue(mentions(AuditLog.verify(store, trusted, head), "rewritten"));
  }

  @Test
  void hostileEntriesDoNotParse() {
    byte[] e = AuditEntry.sign(0, Instant.EPOCH, AuditEntry.Type.ENROL, phone, new byte[32],
        new byte[10]).encode();
    byte[] longer = e.clone();
    ByteBuffer.wrap(longer).putShort(86, (short) 0xFFFF);
    assertThrows(MalformedDataException.class, () -> AuditEntry.parse(longer));
    assertThrows(MalformedDataException.class,
        () -> AuditEntry.parse(new byte[AuditEntry.MAX_ENCODED_BYTES + 1]));
    for (int n = 0; n < e.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(e, n);
      assertThrows(MalformedDataException.class, () -> AuditEntry.parse(cut));
    }
    assertThrows(IllegalArgumentException.class, () -> AuditEntry.sign(0, Instant.EPOCH,
        AuditEntry.Type.ENROL, phone, new byte[32], new byte[AuditEntry.MAX_PAYLOAD_BYTES + 1]));
  }

  @Test
  void appendingToALogThatEndsInGarbageIsRefused() throws Exception {
    put(5, new byte[] {1, 2, 3});
    assertThrows(MalformedDataException.class,
        () -> AuditLog.append(store, phone, AuditEntry.Type.OTHER, new byte[0], clock));
    assertTrue(mentions(verify(), "entry 5 is malformed"));
  }
}
