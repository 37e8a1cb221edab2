package dev.obscura.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes {@link KeyEnvelope#parse} with arbitrary bytes. The format is canonical (a fixed header
 * layout, big-endian counts and lengths, nothing after the last stanza), so an envelope that
 * parses re-encodes to exactly its input and parses again to the same header and stanzas. What is
 * read from a parsed envelope fails only typed: its roster reference ({@link
 * MalformedDataException}), its camera signature ({@link IntegrityException}) and opening it
 * with a device identity ({@link KeyUnavailableException}, {@link IntegrityException}, {@link
 * MalformedDataException}); a key it opens to is the header's stream and epoch. The identity and
 * camera key are the deterministic ones the committed seeds ({@code KeyEnvelopeFuzzTestInputs/})
 * were sealed for and signed with, so mutated seeds reach the HPKE and signature checks.
 */
class KeyEnvelopeFuzzTest {
  static final SigningKey CAMERA = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
  static final ViewerIdentity OWNER = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3));
  static final List<VerifyingKey> CAMERAS = List.of(CAMERA.verifyingKey());

  @FuzzTest(maxDuration = "90s")
  void parseEncodeOpen(byte[] data) throws MalformedDataException {
    KeyEnvelope e;
    try {
      e = KeyEnvelope.parse(data);
    } catch (MalformedDataException expected) {
      return;
    }
    byte[] encoded = KeyEnvelope.encode(e.header(), e.stanzas());
    assertArrayEquals(data, encoded, "a parsed key envelope does not re-encode to its input");
    KeyEnvelope again = KeyEnvelope.parse(encoded);
    assertEquals(e.header(), again.header());
    assertEquals(e.stanzas(), again.stanzas());
    try {
      Optional<RosterRef> ref = e.rosterRef();
      ref.ifPresent(r -> assertArrayEquals(r.encode(), stanzaBody(e, dev.obscura.crypto.keys.Stanza.TYPE_ROSTER)));
    } catch (MalformedDataException expected) {
      // typed
    }
    e.signerKeyId().ifPresent(id -> assertEquals(16, id.length));
    try {
      e.verifySignature(CAMERAS);
    } catch (IntegrityException expected) {
      // typed
    }
    try {
      EpochKey k = e.open(OWNER);
      assertEquals(e.header().stream(), k.stream());
      assertEquals(e.header().epoch(), k.epoch());
      k.destroy();
    } catch (KeyUnavailableException | IntegrityException | MalformedDataException expected) {
      // typed
    }
  }

  static byte[] stanzaBody(KeyEnvelope e, int type) {
    return e.stanzas().stream().filter(s -> s.type() == type).findFirst().orElseThrow().body();
  }
}
