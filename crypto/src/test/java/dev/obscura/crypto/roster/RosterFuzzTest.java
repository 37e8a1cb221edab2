package dev.obscura.crypto.roster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Fuzzes {@link Roster#parse} with arbitrary bytes. The encoding is canonical (docs/spec/
 * devices-and-roster-v1.md), so a roster that parses is re-encoded here from its accessors alone,
 * by this test's own writer of the spec's layout, to exactly the input bytes (the signature is
 * the input's last 64 bytes: it has no accessor), and its encoding parses to an equal roster
 * with the same digest. Its signature checks fail only with {@link RosterRejectedException}.
 * Seeds ({@code RosterFuzzTestInputs/}) are rosters signed by this code: a genesis, and a
 * successor with a camera key, a recovery key, a viewer and a revoked device.
 */
class RosterFuzzTest {
  @FuzzTest(maxDuration = "90s")
  void parseReencode(byte[] data) throws MalformedDataException, IOException {
    Roster r;
    try {
      r = Roster.parse(data);
    } catch (MalformedDataException expected) {
      return;
    }
    byte[] mine = encode(r, Arrays.copyOfRange(data, data.length - 64, data.length));
    assertArrayEquals(data, mine, "a parsed roster is not the spec's encoding of what it says");
    assertArrayEquals(data, r.encoded());
    Roster again = Roster.parse(r.encoded());
    assertEquals(r, again);
    assertArrayEquals(r.digest(), again.digest());
    assertEquals(r.ref(), again.ref());
    try {
      r.verifySelfSigned();
    } catch (RosterRejectedException expected) {
      // typed
    }
    try {
      r.verifyGenesis();
    } catch (RosterRejectedException expected) {
      // typed
    }
  }

  /** The spec's layout, from the accessors. */
  static byte[] encode(Roster r, byte[] signature) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(bytes);
    o.write(new byte[] {'O', 'B', 'S', 'R'});
    o.writeByte(Roster.FORMAT);
    o.writeLong(r.version());
    o.write(r.previousDigest());
    Instant t = r.created();
    o.writeLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
    o.writeByte((r.camera().isPresent() ? 1 : 0) | (r.recovery().isPresent() ? 2 : 0));
    if (r.camera().isPresent()) {
      o.write(r.camera().get().rawBytes());
      o.writeLong(r.cameraSince());
    }
    if (r.recovery().isPresent()) {
      o.write(r.recovery().get().encode());
    }
    o.writeShort(r.members().size());
    for (Roster.Member m : r.members()) {
      o.writeByte(m.role().code);
      o.write(m.key().rawBytes());
      o.write(m.verifyingKey().rawBytes());
      byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
      o.writeByte(name.length);
      o.write(name);
    }
    o.writeShort(r.revokedKeyIds().size());
    for (byte[] id : r.revokedKeyIds()) {
      o.write(id);
    }
    o.write(r.signerKeyId());
    o.write(signature);
    return bytes.toByteArray();
  }
}
