package dev.obscura.crypto.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Fuzzes {@link ChainManifest#parse} with arbitrary bytes. The format is canonical (fixed fields,
 * the stream id's length, a digest count implied by the sequence range, nothing trailing), so a
 * manifest that parses is re-encoded here from its accessors alone, by this test's own writer of
 * the spec's layout, to exactly the input (the signature is the input's last 64 bytes), {@link
 * ChainManifest#encode} gives the input back and parses to the same manifest; its object name
 * parses back to its last sequence; verifying it against the seeds' camera key fails only with
 * {@link IntegrityException}. Seeds ({@code ChainManifestFuzzTestInputs/}) are manifests signed
 * by that key.
 */
class ChainManifestFuzzTest {
  static final VerifyingKey CAMERA =
      SigningKey.generate(EntropySource.insecureDeterministicForTests(1)).verifyingKey();

  @FuzzTest(maxDuration = "90s")
  void parseReencode(byte[] data) throws MalformedDataException {
    ChainManifest m;
    try {
      m = ChainManifest.parse(data);
    } catch (MalformedDataException expected) {
      return;
    }
    byte[] sid = m.stream().toBytes();
    ByteBuffer b = ByteBuffer.allocate(6 + sid.length + 16 + 16 + m.size() * 32 + 64);
    b.put(ChainManifest.MAGIC).put((byte) ChainManifest.VERSION).put((byte) sid.length).put(sid)
        .putLong(m.firstSequence()).putLong(m.lastSequence()).put(m.cameraKeyId());
    for (long s = m.firstSequence(); s <= m.lastSequence(); s++) {
      b.put(m.digestOf(s));
    }
    b.put(data, data.length - 64, 64);
    assertArrayEquals(data, b.array(), "a parsed chain manifest is not the spec's encoding of what it says");
    assertArrayEquals(data, m.encode());
    ChainManifest again = ChainManifest.parse(m.encode());
    assertArrayEquals(m.hash(), again.hash());
    assertEquals(m.stream(), again.stream());
    assertEquals(Optional.of(m.lastSequence()), ChainManifest.parseObjectName(m.stream(), m.objectName()));
    try {
      m.verify(CAMERA);
    } catch (IntegrityException expected) {
      // typed
    }
  }
}
