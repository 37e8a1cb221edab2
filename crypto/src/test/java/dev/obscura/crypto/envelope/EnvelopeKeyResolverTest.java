package dev.obscura.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.testing.MemStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeKeyResolverTest {
  private static final StreamId STREAM = StreamId.of("front-door");

  @Test
  void resolvesFromTheStoreAndMapsFailures() throws Exception {
    ViewerIdentity me = ViewerIdentity.generate();
    ViewerIdentity stranger = ViewerIdentity.generate();
    MemStore store = new MemStore();
    EnvelopeHeader h3 = new EnvelopeHeader(STREAM, EpochId.of(3), Instant.EPOCH);
    EpochKey k3 = EpochKey.generate(STREAM, EpochId.of(3), EntropySource.system());
    byte[] env3 = KeyEnvelope.seal(h3, k3, List.of(me.publicKey()));
    store.put(ObjectNames.envelope(STREAM, EpochId.of(3)), env3);

    EnvelopeKeyResolver resolver = new EnvelopeKeyResolver(store, me);
    EpochKey got = resolver.resolve(STREAM, EpochId.of(3));
    assertTrue(got.secret().equalsSecretBytes(k3.secret()));
    assertEquals(EpochId.of(3), got.epoch());

    KeyUnavailableException missing =
        assertThrows(KeyUnavailableException.class, () -> resolver.resolve(STREAM, EpochId.of(4)));
    assertEquals("no key envelope for front-door epoch 4", missing.getMessage());

    KeyUnavailableException notMine =
        assertThrows(
            KeyUnavailableException.class,
            () -> new EnvelopeKeyResolver(store, stranger).resolve(STREAM, EpochId.of(3)));
    assertEquals("not a recipient of front-door epoch 3", notMine.getMessage());

    // the store moves epoch 3's envelope to epoch 5's name
    store.put(ObjectNames.envelope(STREAM, EpochId.of(5)), env3);
    assertThrows(IntegrityException.class, () -> resolver.resolve(STREAM, EpochId.of(5)));

    store.put(ObjectNames.envelope(STREAM, EpochId.of(6)), new byte[] {1, 2, 3});
    assertThrows(MalformedDataException.class, () -> resolver.resolve(STREAM, EpochId.of(6)));
    store.put(ObjectNames.envelope(STREAM, EpochId.of(7)), new byte[KeyEnvelope.MAX_ENVELOPE_BYTES + 1]);
    assertThrows(MalformedDataException.class, () -> resolver.resolve(STREAM, EpochId.of(7)));
  }

  @Test
  void withCameraKeysOnlyTheCamerasEnvelopesResolve() throws Exception {
    ViewerIdentity me = ViewerIdentity.generate();
    dev.obscura.crypto.sign.SigningKey camera =
        dev.obscura.crypto.sign.SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
    dev.obscura.crypto.sign.SigningKey stranger =
        dev.obscura.crypto.sign.SigningKey.generate(EntropySource.insecureDeterministicForTests(2));
    MemStore store = new MemStore();
    for (int e = 1; e <= 3; e++) {
      EnvelopeHeader h = new EnvelopeHeader(STREAM, EpochId.of(e), Instant.EPOCH);
      EpochKey k = EpochKey.generate(STREAM, EpochId.of(e), EntropySource.system());
      byte[] env = switch (e) {
        case 1 -> KeyEnvelope.seal(h, k, List.of(me.publicKey()), camera);
        case 2 -> KeyEnvelope.seal(h, k, List.of(me.publicKey()));
        default -> KeyEnvelope.seal(h, k, List.of(me.publicKey()), stranger);
      };
      store.put(ObjectNames.envelope(STREAM, EpochId.of(e)), env);
    }
    EnvelopeKeyResolver resolver = new EnvelopeKeyResolver(store, me, List.of(camera.verifyingKey()));
    assertEquals(EpochId.of(1), resolver.resolve(STREAM, EpochId.of(1)).epoch());
    IntegrityException unsigned = assertThrows(IntegrityException.class, () -> resolver.resolve(STREAM, EpochId.of(2)));
    assertTrue(unsigned.getMessage().contains("not signed by the camera"), unsigned.getMessage());
    IntegrityException other = assertThrows(IntegrityException.class, () -> resolver.resolve(STREAM, EpochId.of(3)));
    assertTrue(other.getMessage().contains("not the camera's"), other.getMessage());
    // without camera keys the same store's planted epochs open: what VerifiedStore exists to prevent
    assertEquals(EpochId.of(2), new EnvelopeKeyResolver(store, me).resolve(STREAM, EpochId.of(2)).epoch());
  }
}
