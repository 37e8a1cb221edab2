package dev.obscura.crypto.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import java.nio.ByteBuffer;

/**
 * Fuzzes {@link AuditEntry#parse} and the prune payload inside it ({@link PruneRecord}) with
 * arbitrary bytes. Both formats are canonical (fixed fields, one explicit length each, nothing
 * trailing), so an entry that parses is re-encoded here from its accessors alone, by this
 * test's own writer of the spec's layout, to exactly the input (the signature is the input's last
 * 64 bytes), {@link AuditEntry#encode} gives the input back, and its encoding parses to an entry
 * with the same hash; a prune payload (the entry's, and the raw input tried as one) that parses
 * re-encodes to exactly itself and parses to an equal record. Signature checks fail only with
 * {@link IntegrityException}. Seeds ({@code AuditEntryFuzzTestInputs/}) are entries written by
 * {@link AuditLog}, a prune among them, and prune payloads.
 */
class AuditEntryFuzzTest {
  @FuzzTest(maxDuration = "90s")
  void parseReencode(byte[] data) throws MalformedDataException {
    prune(data);
    AuditEntry e;
    try {
      e = AuditEntry.parse(data);
    } catch (MalformedDataException expected) {
      return;
    }
    byte[] payload = e.payload();
    ByteBuffer b = ByteBuffer.allocate(AuditEntry.FIXED_BYTES + payload.length + 64);
    b.put(AuditEntry.MAGIC).put((byte) AuditEntry.VERSION).putLong(e.sequence())
        .putLong(AuditEntry.toMicros(e.time())).put((byte) e.type().code).put(e.actor().rawBytes())
        .put(e.previousHash()).putShort((short) payload.length).put(payload)
        .put(data, data.length - 64, 64);
    assertArrayEquals(data, b.array(), "a parsed audit entry is not the spec's encoding of what it says");
    assertArrayEquals(data, e.encode());
    assertArrayEquals(e.hash(), AuditEntry.parse(e.encode()).hash());
    try {
      e.verifySignature();
    } catch (IntegrityException expected) {
      // typed
    }
    if (e.type() == AuditEntry.Type.PRUNE) {
      try {
        assertEquals(PruneRecord.parse(payload), PruneRecord.of(e));
      } catch (MalformedDataException expected) {
        // typed
      }
    } else {
      try {
        PruneRecord.of(e);
        throw new AssertionError("a prune record was read from a " + e.type() + " entry");
      } catch (MalformedDataException expected) {
        // typed
      }
    }
  }

  static void prune(byte[] p) throws MalformedDataException {
    PruneRecord r;
    try {
      r = PruneRecord.parse(p);
    } catch (MalformedDataException expected) {
      return;
    }
    assertArrayEquals(p, r.encode(), "a parsed prune record does not re-encode to its input");
    assertEquals(r, PruneRecord.parse(r.encode()));
  }
}
