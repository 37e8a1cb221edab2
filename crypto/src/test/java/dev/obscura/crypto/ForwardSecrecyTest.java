package dev.obscura.crypto;

import static dev.obscura.crypto.testing.ByteSearch.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.obscura.core.Hex;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.segment.SegmentSealer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
    List<SealedSegmentInfo> infos = new ArrayList<>();
    List<EpochKey> ended = new ArrayList<>();
    EpochKey current;
    EpochId currentEpoch;
    try (Recorder rec = h.recorder(2)) {
      EpochKey first = epochKeyOf(rec);
      assertEquals(rec.epoch(), first.epoch());
      for (int i = 0; i < 4; i++) {
        EpochKey before = epochKeyOf(rec);
        infos.add(rec.seal(h.segment())); // epochs N-1 and N, two segments each
        if (epochKeyOf(rec) != before) {
          ended.add(before);
        }
      }
      lastEnded = rec.epoch();
      EpochKey nKey = epochKeyOf(rec);
      infos.add(rec.seal(h.segment())); // epoch N+1 starts: N's key is destroyed
      assertTrue(rec.epoch().compareTo(lastEnded) > 0);
      ended.add(nKey);
      current = epochKeyOf(rec);
      currentEpoch = rec.epoch();
      assertTrue(current != nKey && current.epoch().equals(rec.epoch()));
      // the key objects of the ended epochs (N-1 and N) are destroyed: they refuse every read
      assertEquals(2, ended.size(), "two epochs ended");
      assertEquals(lastEnded, ended.get(1).epoch());
      for (EpochKey k : ended) {
        assertTrue(k.secret().isDestroyed(), k + " is not destroyed after its epoch ended");
        assertThrows(IllegalStateException.class, () -> k.secret().toByteArray(InsecureSecretAccess.get()));
      }
      assertFalse(current.secret().isDestroyed(), "the running epoch's key is alive");
      // everything the camera has persisted, while it is still running
      try (Stream<Path> files = Files.walk(h.cameraDir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          snapshot.put(h.cameraDir.relativize(f).toString(), Files.readAllBytes(f));
        }
      }
      snapshot.put("platform.key", Files.readAllBytes(tmp.resolve("platform.key")));
    }
    assertTrue(current.secret().isDestroyed(), "closing the recorder destroys the running epoch's key");
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
        TestSecrets.assertNoLeak(new String(m, StandardCharsets.ISO_8859_1), real); // nor any window of it, encoded
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
    // nor is the running epoch's key (never persisted either)
    byte[] running = TestSecrets.raw(owner.resolve(Household.STREAM, currentEpoch));
    for (byte[] m : material) {
      assertFalse(contains(m, running), "the running epoch's key is in the camera's state");
    }
    assertCameraStateIsPublic(snapshot, stolen, h, infos, currentEpoch);

    // a restarted camera cannot continue the epoch it was in: it starts a new one
    h.camera = CameraState.open(h.cameraDir, h.platform, EntropySource.insecureDeterministicForTests(5));
    try (Recorder again = h.recorder(2)) {
      assertTrue(again.epoch().value() > lastEnded.value() + 1, again.epoch() + " after " + lastEnded);
      again.seal(h.segment());
    }
    assertEquals(h.nextIndex, h.read(h.owner, 0, h.nextIndex - 1).size());
  }

  /**
   * The epoch key object the recorder seals with now (its sealer's), read by type: no production
   * hook exists for this, and none should.
   */
  static EpochKey epochKeyOf(Recorder rec) throws Exception {
    Object sealer = fieldOfType(rec, SegmentSealer.class);
    return (EpochKey) fieldOfType(sealer, EpochKey.class);
  }

  private static Object fieldOfType(Object o, Class<?> type) throws Exception {
    Object found = null;
    for (Field f : o.getClass().getDeclaredFields()) {
      if (f.getType() == type && !Modifier.isStatic(f.getModifiers())) {
        assertTrue(found == null, o.getClass() + " has two " + type.getSimpleName() + " fields");
        f.setAccessible(true);
        found = f.get(o);
      }
    }
    assertTrue(found != null, o.getClass() + " has no " + type.getSimpleName() + " field");
    return found;
  }

  /**
   * Every file the camera wrote is a documented one ({@link CameraState}'s list) and, parsed,
   * holds only numbers and public data: the public key, the pinned roster, epoch counters, the
   * chain head (sequence numbers and chain digests of stored segments, which anyone holding the
   * store can compute). {@code camera.key} is the identity, encrypted to the platform key.
   */
  private static void assertCameraStateIsPublic(Map<String, byte[]> snapshot, CameraIdentity identity,
      Household h, List<SealedSegmentInfo> infos, EpochId running) throws Exception {
    Set<String> files = new TreeSet<>(snapshot.keySet());
    files.remove("platform.key"); // the device's, beside the folder (the attacker's bonus)
    assertEquals(new TreeSet<>(List.of("camera.key", "camera.pub", "roster.pinned", "epochs",
        "chain-" + Household.STREAM)), files, "the camera's folder holds only its documented files"
        + " (pairing.secret is gone once paired); a new file needs its structural check here");
    // camera.key: the identity, sealed to the platform key (the attacker has it too: tried above)
    assertArrayEquals(identity.publicKey().rawBytes(), CameraIdentity.fromProtectedBytes(
        snapshot.get("camera.key"), h.platform).publicKey().rawBytes());
    // camera.pub: exactly the public key
    Path pub = Files.write(Files.createTempFile(h.cameraDir.getParent(), "pub", ""), snapshot.get("camera.pub"));
    assertArrayEquals(identity.publicKey().rawBytes(), CameraIdentity.readPublicKey(pub).rawBytes());
    // roster.pinned: the roster the owner published, canonically encoded
    byte[] pinned = snapshot.get("roster.pinned");
    assertArrayEquals(pinned, Roster.parse(pinned).encoded());
    assertArrayEquals(h.roster.encoded(), pinned, "the pinned roster is the published one");
    // epochs: comments and one "STREAM NEXT-EPOCH" line of numbers
    List<String> epochLines = new ArrayList<>();
    for (String line : text(snapshot.get("epochs")).split("\n")) {
      if (!line.startsWith("#")) {
        epochLines.add(line);
      }
    }
    assertEquals(List.of(Household.STREAM + " " + (running.value() + 1)), epochLines);
    // chain-STREAM: its header, comments, and exactly the fields next, digest, inflight, pending
    String[] lines = text(snapshot.get("chain-" + Household.STREAM)).split("\n");
    assertEquals("obscura-camera-chain v1", lines[0]);
    Map<String, List<String>> fields = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].startsWith("#")) {
        continue;
      }
      List<String> w = List.of(lines[i].split(" "));
      assertTrue(fields.put(w.get(0), w.subList(1, w.size())) == null, "field twice: " + lines[i]);
    }
    assertEquals(Set.of("next", "digest", "inflight", "pending"), fields.keySet(), fields.toString());
    Set<String> storedDigests = new TreeSet<>();
    for (SealedSegmentInfo i : infos) {
      storedDigests.add(Hex.format(i.digest()));
    }
    assertEquals(List.of(String.valueOf(infos.size())), fields.get("next"));
    assertEquals(List.of(Hex.format(infos.get(infos.size() - 1).digest())), fields.get("digest"));
    assertEquals(List.of("-"), fields.get("inflight"));
    List<String> pending = fields.get("pending");
    assertTrue(pending.get(0).matches("[0-9]+"), pending.toString());
    for (String d : pending.subList(1, pending.size())) {
      assertTrue(storedDigests.contains(d), "pending " + d + " is not a stored segment's digest");
    }
  }

  private static String text(byte[] b) {
    String t = new String(b, StandardCharsets.UTF_8);
    assertTrue(t.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), "not printable ASCII");
    return t;
  }
}
