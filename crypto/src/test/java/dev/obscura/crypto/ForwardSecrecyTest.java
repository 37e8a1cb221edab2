package dev.obscura.crypto;

import static dev.obscura.crypto.testing.ByteSearch.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.TestSecrets;
import dev.obscura.crypto.segment.SegmentFormat;
import dev.obscura.crypto.segment.SegmentOpener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot of everything the camera has persisted, taken after epoch N ended (its folder and
 * the platform key that unlocks its key file), decrypts no segment of epochs up to N.
 */
class ForwardSecrecyTest {
  @TempDir Path tmp;

  @Test
  void aSnapshotOfTheCameraAfterEpochNEndsCannotDecryptEpochsUpToN() throws Exception {
    Household h = new Household(tmp, 31);
    EpochId lastEnded;
    Map<String, byte[]> snapshot = new LinkedHashMap<>();
    try (Recorder rec = h.recorder(2)) {
      for (int i = 0; i < 4; i++) {
        rec.seal(h.segment()); // epochs N-1 and N, two segments each
      }
      lastEnded = rec.epoch();
      rec.seal(h.segment()); // epoch N+1 starts: N's key is destroyed
      assertTrue(rec.epoch().compareTo(lastEnded) > 0);
      // everything the camera has persisted, while it is still running
      try (Stream<Path> files = Files.walk(h.cameraDir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          snapshot.put(h.cameraDir.relativize(f).toString(), Files.readAllBytes(f));
        }
      }
      snapshot.put("platform.key", Files.readAllBytes(tmp.resolve("platform.key")));
    }
    assertTrue(snapshot.containsKey("camera.key") && snapshot.containsKey("roster.pinned")
        && snapshot.containsKey("epochs"), snapshot.keySet().toString());

    // the attacker also unlocks the camera key file with the platform key it copied
    Path copy = Files.createDirectories(tmp.resolve("stolen"));
    for (var e : snapshot.entrySet()) {
      Files.write(copy.resolve(e.getKey()), e.getValue());
    }
    CameraIdentity stolen = CameraIdentity.readFrom(copy.resolve("camera.key"),
        dev.obscura.crypto.keys.KeyProtection.platformKey(copy.resolve("platform.key")));
    List<byte[]> material = new ArrayList<>(snapshot.values());
    material.add(stolen.signingKey().seed().toByteArray(InsecureSecretAccess.get()));

    // segments of the ended epochs, and their real epoch keys (as the owner sees them)
    SegmentOpener opener = new SegmentOpener();
    EnvelopeKeyResolver owner = new EnvelopeKeyResolver(h.store, h.owner);
    int tried = 0;
    for (long seq = 0; seq < 4; seq++) {
      byte[] sealed = h.store.objects.get(ObjectNames.segment(new SegmentId(Household.STREAM, seq)));
      EpochId epoch = SegmentFormat.readHead(new java.io.ByteArrayInputStream(sealed)).header().epoch();
      assertTrue(epoch.compareTo(lastEnded) <= 0);
      byte[] real = TestSecrets.raw(owner.resolve(Household.STREAM, epoch));
      for (byte[] m : material) {
        assertFalse(contains(m, real), "the epoch key is in the camera's state");
        for (String enc : TestSecrets.encodings(real)) {
          assertFalse(new String(m, StandardCharsets.ISO_8859_1).contains(enc), "the epoch key is in the camera's state");
        }
        // every 32-byte window of everything it holds, tried as the epoch key
        for (int off = 0; off + 32 <= m.length; off++) {
          EpochKey guess = new EpochKey(Household.STREAM, epoch,
              SecretBytes.copyFrom(Arrays.copyOfRange(m, off, off + 32), InsecureSecretAccess.get()));
          assertThrows(KeyMismatchException.class, () -> opener.open(sealed, guess));
          tried++;
        }
      }
    }
    assertTrue(tried > 1000, "tried " + tried);

    // a restarted camera cannot continue the epoch it was in: it starts a new one
    h.camera = CameraState.open(h.cameraDir, h.platform, EntropySource.insecureDeterministicForTests(5));
    try (Recorder again = h.recorder(2)) {
      assertTrue(again.epoch().value() > lastEnded.value() + 1, again.epoch() + " after " + lastEnded);
      again.seal(h.segment());
    }
    assertEquals(h.nextIndex, h.read(h.owner, 0, h.nextIndex - 1).size());
  }
}
