package dev.obscura.examples.scenarios.doorbell;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.FrameSources;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.live.LiveCamera;
import dev.obscura.crypto.live.LiveViewer;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.examples.scenarios.Clips;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayLive;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStreams;
import dev.obscura.transport.relay.RelayToken;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A doorbell camera, its owner's phone, a relay and a store: pair, answer the door live, record
 * the visit, export it. See the {@linkplain dev.obscura.examples.scenarios.doorbell package} for
 * who runs what. Run: {@code Doorbell WORKDIR [LIVE_SECONDS [RECORD_SECONDS]]}.
 */
public final class Doorbell {
  /** The doorbell's stream. */
  public static final StreamId FRONT_DOOR = StreamId.of("front-door");

  private Doorbell() {}

  /**
   * What the run did.
   *
   * @param framesPublished frames the doorbell sealed and published live
   * @param framesSeenLive frames the owner's phone verified and handed to its decoder
   * @param liveRefused live messages the phone refused (0 on an honest relay)
   * @param eavesdropperFrames frames a holder of the relay's subscribe token, not enrolled, could
   *     decrypt (always 0)
   * @param eavesdropperNoKey frames that holder received and could not open
   * @param framesRecorded frames the doorbell recorded into the store
   * @param segmentsRecorded segments it sealed
   * @param clip what the phone's verified export wrote
   * @param clipFile the exported MP4
   */
  public record Result(long framesPublished, long framesSeenLive, long liveRefused, long eavesdropperFrames,
      long eavesdropperNoKey, long framesRecorded, long segmentsRecorded, ExportStats clip, Path clipFile) {
    /**
     * Whether the exported clip holds every recorded frame, each from a segment that verified.
     *
     * @return true if the clip is complete
     */
    public boolean clipVerified() {
      return clip.segments() == segmentsRecorded && clip.frames() == framesRecorded;
    }
  }

  /**
   * Runs the scenario in {@code dir} (the camera's folder, the phone's key and pins, the store and
   * the clip are all made there).
   *
   * @param dir an empty working folder
   * @param live how long the doorbell streams live
   * @param record how long it records the visit
   * @return what happened
   * @throws IOException if a file, the store or the relay fails
   * @throws ObscuraException if anything does not verify (it does, unless someone tampered)
   * @throws InterruptedException if interrupted while the phone watches
   */
  public static Result run(Path dir, Duration live, Duration record)
      throws IOException, ObscuraException, InterruptedException {
    EntropySource entropy = EntropySource.system();
    SegmentStore cloud = new FileSystemSegmentStore(dir.resolve("cloud")); // the vendor's storage: ciphertext only

    // In the factory: the doorbell makes its key and a pairing code, printed on its label; once
    // online it publishes its public key in the store (public data: the code names it).
    CameraState doorbell = CameraState.open(dir.resolve("doorbell"),
        KeyProtection.platformKey(dir.resolve("doorbell-keystore.key")), entropy);
    String label = doorbell.newPairingCode(entropy).toCodeString();
    Household.publishCameraKey(cloud, doorbell.identity().publicKey());

    // The owner's phone scans the label: roster version 1, pairing the doorbell to the phone.
    ViewerIdentity phone = ViewerIdentity.generate(entropy);
    Path phoneKey = dir.resolve("phone.key");
    phone.writeTo(phoneKey, KeyProtection.platformKey(dir.resolve("phone-keystore.key")));
    Household home = Household.of(cloud, FileTrustStore.besideKeyFile(phoneKey), "cloud");
    home.create(phone, "owner's phone", PairingCode.parse(label), null); // the key the code names, or refused

    // Someone rings: the doorbell streams through the relay, the phone answers and watches.
    RelayToken publish = token(entropy);
    RelayToken subscribe = token(entropy);
    long published;
    LiveViewer.Stats seen;
    LiveViewer.Stats overheard;
    try (RelayServer relay = RelayServer.start(RelayConfig.builder().port(0).build(),
        RelayStreams.builder().add(FRONT_DOOR, publish, subscribe).build())) {
      VerifiedStore onPhone = home.open(null); // checked against the phone's pins
      Watcher owner = new Watcher(relay.uri(), subscribe, phone, onPhone);
      // a relay insider with the subscribe token but no place in the roster
      Watcher insider = new Watcher(relay.uri(), subscribe, ViewerIdentity.generate(entropy), onPhone);
      awaitViewers(relay, 2);
      try (LivePublisher out = RelayLive.connectPublisher(relay.uri(), FRONT_DOOR, publish, RelayClientConfig.defaults());
          dev.obscura.core.FrameSource frames = FrameSources.synthetic(VideoSettings.QVGA_240P15, live,
              Duration.ofSeconds(1), true);
          LiveCamera camera = LiveCamera.builder().store(cloud).stream(FRONT_DOOR).camera(doorbell).publisher(out)
              .build()) {
        published = camera.run(frames).frames(); // each frame sealed before it leaves the doorbell
      }
      seen = owner.stopAfter(published);
      overheard = insider.stopAfter(published);
    }

    // The doorbell records the visit into the store, signing its chain as it goes.
    long frames = 0;
    long segments;
    try (SegmentSource camera = Segmenters.synthetic(VideoSettings.QVGA_240P15, record, Duration.ofSeconds(1),
            Clock.systemUTC());
        Recorder recorder = Recorder.builder().store(cloud).stream(FRONT_DOOR).camera(doorbell)
            .chainSigner(doorbell.identity().signingKey(), 2).build()) {
      for (MediaSegment s; (s = camera.next()) != null; ) {
        recorder.accept(s);
        frames += s.frameCount();
      }
      segments = recorder.segments();
    }

    // Later, the owner exports the visit: every segment verified, nothing missing, then an MP4.
    Path clip = dir.resolve("visit.mp4");
    ExportStats exported = Clips.export(home.open(null), phone, FRONT_DOOR, StreamRange.all(), clip);
    return new Result(published, seen.framesOut(), seen.refused(), overheard.framesOut(), overheard.framesNoKey(),
        frames, segments, exported, clip);
  }

  /** A relay token from strong randomness (the vendor's backend would issue these). */
  private static RelayToken token(EntropySource entropy) {
    byte[] b = new byte[24];
    entropy.nextBytes(b);
    return RelayToken.of(Hex.format(b));
  }

  private static void awaitViewers(RelayServer relay, int n) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (relay.stats().stream(FRONT_DOOR).map(s -> s.viewers().size()).orElse(0) < n) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the viewers did not reach the relay within 10 s");
      }
      Thread.sleep(10);
    }
  }

  /** A phone watching on its own thread, as an app's player would. */
  static final class Watcher {
    private final LiveSubscriber in;
    private final LiveViewer viewer;
    private final AtomicLong received = new AtomicLong();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final Thread thread;

    Watcher(URI relay, RelayToken token, Identity identity, VerifiedStore view) throws IOException {
      this.in = RelayLive.connectSubscriber(relay, FRONT_DOOR, token, RelayClientConfig.defaults());
      this.viewer = LiveViewer.builder(FRONT_DOOR, identity, view).build();
      this.thread = new Thread(() -> {
        try {
          viewer.watch(new CountingSubscriber(in, received), Duration.ofMinutes(1), frame -> { /* to a decoder */ });
        } catch (Throwable t) {
          failed.set(t);
        }
      }, "doorbell-viewer");
      thread.start();
    }

    /** Waits until {@code frames} frame messages arrived (or 10 s passed), then hangs up. */
    LiveViewer.Stats stopAfter(long frames) throws InterruptedException, IOException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (received.get() < frames && thread.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      in.close();
      thread.join(10_000);
      viewer.close();
      if (failed.get() != null) {
        throw new IOException("the viewer failed", failed.get());
      }
      return viewer.stats();
    }
  }

  /** Counts the frame messages the transport delivered, so the phone knows when the ring is over. */
  private static final class CountingSubscriber implements LiveSubscriber {
    private final LiveSubscriber in;
    private final AtomicLong frames;

    CountingSubscriber(LiveSubscriber in, AtomicLong frames) {
      this.in = in;
      this.frames = frames;
    }

    @Override
    public dev.obscura.core.LiveMessage next(Duration timeout) throws IOException {
      dev.obscura.core.LiveMessage m = in.next(timeout);
      if (m instanceof dev.obscura.core.LiveMessage.Frame) {
        frames.incrementAndGet();
      }
      return m;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * Runs the scenario and prints what happened.
   *
   * @param args the working folder, then optionally the live and the recorded seconds (default 2, 3)
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: Doorbell WORKDIR [LIVE_SECONDS [RECORD_SECONDS]]");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Paths.get(args[0]));
    Duration live = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 2);
    Duration record = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 3);
    Result r = run(dir, live, record);
    System.out.printf("live: %d frames published, %d seen on the phone (%d refused); the relay insider"
        + " decrypted %d of %d%n", r.framesPublished(), r.framesSeenLive(), r.liveRefused(), r.eavesdropperFrames(),
        r.eavesdropperNoKey() + r.eavesdropperFrames());
    System.out.printf("recorded: %d frames in %d segments; clip %s: %d frames, %s%n", r.framesRecorded(),
        r.segmentsRecorded(), r.clipFile(), r.clip().frames(), r.clipVerified() ? "verified" : "INCOMPLETE");
  }
}
