package dev.obscura.examples.camera;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Child process of {@link CameraKillTest}: a paired camera records into a folder store until it
 * is killed, printing each segment's sequence number once {@code seal} returned (acknowledged).
 * Arguments: store folder, camera folder, platform key file, run number. Segments are random
 * bytes (the test is about numbers, chains and manifests, not video), so many seal per second
 * and the kill lands anywhere: mid-seal, mid-commit, mid-head-write, mid-manifest.
 */
public final class CameraKillMain {
  static final StreamId STREAM = StreamId.of("porch");

  private CameraKillMain() {}

  public static void main(String[] args) throws Exception {
    FileSystemSegmentStore store = new FileSystemSegmentStore(Path.of(args[0]));
    CameraState camera = CameraState.open(Path.of(args[1]), KeyProtection.platformKey(Path.of(args[2])),
        EntropySource.system());
    long run = Long.parseLong(args[3]);
    PrintStream out = new PrintStream(System.out, false, "US-ASCII");
    SplittableRandom random = new SplittableRandom(run);
    try (Recorder recorder = Recorder.builder().store(store).stream(STREAM).camera(camera)
        .chainSigner(camera.identity().signingKey(), 3).segmentsPerEpoch(5).build()) {
      out.println("READY");
      out.flush();
      for (long i = 0; ; i++) {
        byte[] data = new byte[2000 + random.nextInt(40_000)];
        random.nextBytes(data);
        SealedSegmentInfo info = recorder.seal(new MediaSegment(i, Instant.now(), 0, 1_000_000L, 30, data));
        out.println(info.header().sequence());
        out.flush();
      }
    }
  }
}
