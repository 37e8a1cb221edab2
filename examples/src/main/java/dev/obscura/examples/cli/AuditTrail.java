package dev.obscura.examples.cli;

import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.sign.SigningKey;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Records roster changes in the store's audit log, signed by the device that made them. */
final class AuditTrail {
  private AuditTrail() {}

  /** Size of a roster-change payload. */
  static final int ROSTER_CHANGE_BYTES = 8 + 16;

  /** Payload: u64 roster version || 16-byte key id of the device (or recovery key) concerned. */
  static void rosterChange(SegmentStore store, SigningKey signer, AuditEntry.Type type, Roster roster,
      byte[] subjectKeyId) throws IOException, MalformedDataException {
    if (subjectKeyId.length != 16) {
      throw new IllegalArgumentException("a key id is 16 bytes");
    }
    byte[] payload = ByteBuffer.allocate(8 + subjectKeyId.length).putLong(roster.version())
        .put(subjectKeyId).array();
    AuditLog.append(store, signer, type, payload);
  }
}
