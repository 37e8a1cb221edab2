package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.live.LiveCamera;
import dev.obscura.crypto.trust.TrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera's folder restored from an older copy (all of it, or one file), or damaged: the
 * camera refuses to start ({@link TrustException.Reason#CAMERA_STATE} for a rollback, a clear
 * {@link IOException} for damage) rather than reuse an epoch or sequence number, and it trusts
 * only what its own key signed: a higher number planted by the store neither moves nor stops it.
 * Every refusal is checked to leave the store exactly as it was (nothing overwritten).
 */
class CameraStateRollbackTest {
  @TempDir Path tmp;

  private static final String CHAIN = "chain-" + Household.STREAM;

  /** The camera folder's files (the lock files of a counter store excepted), by name. */
  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".lock")) {
          out.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  private static void restore(Path dir, Map<String, byte[]> copy, String... only) throws IOException {
    for (Map.Entry<String, byte[]> e : copy.entrySet()) {
      if (only.length == 0 || List.of(only).contains(e.getKey())) {
        Files.write(dir.resolve(e.getKey()), e.getValue());
      }
    }
  }

  /** Records {@code n} segments (a manifest every {@code every}) and stops cleanly. */
  private static void record(Household h, int n, int every) throws Exception {
    try (Recorder r = CameraHeadTest.recorder(h, h.store, every)) {
      for (int i = 0; i < n; i++) {
        r.seal(h.segment());
      }
    }
  }

  private static CameraState reopen(Household h) throws Exception {
    h.camera = CameraState.open(h.cameraDir, h.platform, EntropySource.system());
    return h.camera;
  }

  private static TrustException refusedAtStart(Household h) throws Exception {
    Map<String, byte[]> before = storeSnapshot(h);
    reopen(h);
    TrustException e = assertThrows(TrustException.class, () -> CameraHeadTest.recorder(h, h.store, 3));
    assertEquals(TrustException.Reason.CAMERA_STATE, e.reason(), e.getMessage());
    assertStoreUnchanged(before, storeSnapshot(h));
    return e;
  }

  private static Map<String, byte[]> storeSnapshot(Household h) {
    synchronized (h.store) {
      Map<String, byte[]> out = new TreeMap<>();
      h.store.objects.forEach((k, v) -> out.put(k, v.clone()));
      return out;
    }
  }

  private static void assertStoreUnchanged(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet());
    before.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, after.get(k)), k + " was rewritten"));
  }

  @Test
  void theWholeFolderRestoredFromAnOlderCopyIsRefused() throws Exception {
    Household h = new Household(tmp, 11);
    record(h, 4, 3);
    Map<String, byte[]> old = snapshot(h.cameraDir);
    record(h, 4, 3);
    Map<String, byte[]> newest = snapshot(h.cameraDir);
    restore(h.cameraDir, old);
    TrustException e = refusedAtStart(h);
    assertTrue(e.getMessage().contains("epoch"), e.getMessage());
    // the newest state makes it record on, from where it was
    restore(h.cameraDir, newest);
    reopen(h);
    try (Recorder r = CameraHeadTest.recorder(h, h.store, 3)) {
      assertEquals(8, r.seal(h.segment()).header().sequence());
    }
  }

  @Test
  void anOlderEpochRecordAloneIsRefused() throws Exception {
    Household h = new Household(tmp, 12);
    record(h, 2, 3);
    Map<String, byte[]> old = snapshot(h.cameraDir);
    record(h, 2, 3);
    restore(h.cameraDir, old, "epochs");
    refusedAtStart(h);
    Files.delete(h.cameraDir.resolve("epochs")); // lost altogether: refused too
    refusedAtStart(h);
  }

  @Test
  void anOlderChainHeadAloneIsRefusedByTheSignedManifestAboveIt() throws Exception {
    Household h = new Household(tmp, 13);
    record(h, 3, 3);
    Map<String, byte[]> old = snapshot(h.cameraDir);
    record(h, 6, 3); // manifests up to segment 8, signed by the camera
    restore(h.cameraDir, old, CHAIN);
    TrustException e = refusedAtStart(h);
    assertTrue(e.getMessage().contains("manifest"), e.getMessage());
  }

  @Test
  void aChainHeadBehindByLessThanAManifestIsRefusedByItsOwnSegments() throws Exception {
    Household h = new Household(tmp, 14);
    record(h, 3, 1000);
    Map<String, byte[]> old = snapshot(h.cameraDir);
    // one more segment, and the manifest over it deleted by the store: only the segment is left
    record(h, 1, 1000);
    for (String name : storeSnapshot(h).keySet()) {
      if (name.contains("/manifests/")) {
        h.store.delete(name);
      }
    }
    restore(h.cameraDir, old, CHAIN);
    TrustException e = refusedAtStart(h);
    assertTrue(e.getMessage().contains("segment 3"), e.getMessage());
  }

  @Test
  void numbersPlantedByTheStoreNeitherMoveNorStopTheCamera() throws Exception {
    Household h = new Household(tmp, 15);
    record(h, 2, 3);
    long next = reopen(h).nextEpoch(Household.STREAM);
    // an envelope of a far epoch signed by another key, a manifest that does not verify, a
    // segment of an epoch the camera never used, all above the camera's numbers
    EpochId far = EpochId.of(next + 1000);
    h.store.put(ObjectNames.envelope(Household.STREAM, far),
        h.store.readAll(ObjectNames.envelope(Household.STREAM, EpochId.of(0)), KeyEnvelope.MAX_ENVELOPE_BYTES));
    h.store.put(Household.STREAM + "/manifests/0000000000000000099.man", new byte[] {1, 2, 3});
    try (Recorder r = CameraHeadTest.recorder(h, h.store, 3)) {
      assertEquals(next, r.epoch().value(), "the camera's own epoch record, not the store's");
      assertEquals(2, r.seal(h.segment()).header().sequence(), "the camera's own chain head");
    }
  }

  @Test
  void damagedStateFilesAreRefusedNeverReset() throws Exception {
    Household h = new Household(tmp, 16);
    record(h, 2, 3);
    Map<String, byte[]> good = snapshot(h.cameraDir);
    Files.writeString(h.cameraDir.resolve("epochs"), "porch minus-one\n");
    assertTrue(assertThrows(IOException.class, () -> reopen(h)).getMessage().contains("damaged"));
    restore(h.cameraDir, good);
    Files.writeString(h.cameraDir.resolve("roster.pinned"), "not a roster");
    reopen(h);
    Map<String, byte[]> before = storeSnapshot(h);
    assertThrows(Exception.class, () -> CameraHeadTest.recorder(h, h.store, 3));
    assertStoreUnchanged(before, storeSnapshot(h));
    restore(h.cameraDir, good);
    reopen(h);
    try (Recorder r = CameraHeadTest.recorder(h, h.store, 3)) {
      assertEquals(2, r.seal(h.segment()).header().sequence(), "the good state records on");
    }
  }

  @Test
  void aLiveCameraRefusesARolledBackEpochRecordAndADamagedCounterFile() throws Exception {
    Household h = new Household(tmp, 17);
    record(h, 1, 3);
    Map<String, byte[]> old = snapshot(h.cameraDir);
    record(h, 1, 3);
    Map<String, byte[]> newest = snapshot(h.cameraDir);
    restore(h.cameraDir, old, "epochs");
    reopen(h);
    int[] published = new int[1];
    dev.obscura.core.LivePublisher counting = new dev.obscura.core.LivePublisher() {
      @Override
      public void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) {
        published[0]++;
      }

      @Override
      public long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) {
        return published[0]++;
      }

      @Override
      public void close() {}
    };
    Map<String, byte[]> before = storeSnapshot(h);
    TrustException e = assertThrows(TrustException.class, () -> LiveCamera.builder().store(h.store)
        .stream(Household.STREAM).camera(h.camera).publisher(counting).clock(h.clock).build());
    assertEquals(TrustException.Reason.CAMERA_STATE, e.reason());
    assertEquals(0, published[0], "nothing left the camera");
    assertStoreUnchanged(before, storeSnapshot(h));

    restore(h.cameraDir, newest);
    reopen(h);
    Files.writeString(h.cameraDir.resolve("live-" + Household.STREAM + ".ctr"), "OBSCTR01 garbage....");
    IOException damaged = assertThrows(IOException.class, () -> LiveCamera.builder().store(h.store)
        .stream(Household.STREAM).camera(h.camera).publisher(counting).clock(h.clock).build());
    assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());
    assertEquals(0, published[0], "nothing left the camera");
  }
}
