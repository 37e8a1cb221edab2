package dev.obscura.examples.camera;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.Hex;
import dev.obscura.core.LivePublisher;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.live.LiveCamera;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child process of {@link KillLoop}'s live loop: a paired camera's {@link LiveCamera} seals random
 * frames until it is killed. Its transport ({@link LivePublisher}, the SDK's public SPI) is this
 * process's standard output: every sealed frame leaves the process as one line {@code F <hex>},
 * written and flushed before {@code publishFrame} returns, so the parent sees exactly the
 * ciphertexts that left (and parses their SFrame headers for the key id and counter). Arguments:
 * store folder, camera folder, platform key file, run number.
 */
public final class LiveKillMain {
  static final String STREAM = "porch-live";

  private LiveKillMain() {}

  public static void main(String[] args) throws Exception {
    FileSystemSegmentStore store = new FileSystemSegmentStore(Path.of(args[0]));
    CameraState camera = CameraState.open(Path.of(args[1]), KeyProtection.platformKey(Path.of(args[2])),
        EntropySource.system());
    long run = Long.parseLong(args[3]);
    PrintStream out = new PrintStream(System.out, false, "US-ASCII");
    SplittableRandom random = new SplittableRandom(run);
    LivePublisher stdout = new LivePublisher() {
      private long sequence;

      @Override
      public void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) {
        out.println("E " + epoch.value());
        out.flush();
      }

      @Override
      public long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) {
        out.println("F " + Hex.format(sealedFrame));
        out.flush();
        return sequence++;
      }

      @Override
      public void close() {
        out.flush();
      }
    };
    try (LiveCamera live = LiveCamera.builder().store(store).stream(dev.obscura.core.StreamId.of(STREAM))
        .camera(camera).publisher(stdout).build()) {
      out.println("READY");
      out.flush();
      for (long i = 0; ; i++) {
        byte[] data = new byte[100 + random.nextInt(1500)];
        random.nextBytes(data);
        live.send(new EncodedFrame(i * 33_333L, i % 10 == 0, data));
      }
    }
  }
}
