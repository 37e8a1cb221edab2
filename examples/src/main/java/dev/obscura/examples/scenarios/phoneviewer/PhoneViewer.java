package dev.obscura.examples.scenarios.phoneviewer;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.FrameSources;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EntropySource;
import dev.obscura.core.FrameSource;
import dev.obscura.core.Hex;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.live.LiveCamera;
import dev.obscura.crypto.live.LiveViewer;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.trust.EnrolmentCode;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustException;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.examples.scenarios.Clips;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayLive;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStats;
import dev.obscura.transport.relay.RelayStreams;
import dev.obscura.transport.relay.RelayToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * A second device of a household: a tablet enrolled by the owner, which authenticates its first
 * contact with an enrolment code, then reads the store only through its pins: lists streams,
 * exports the newest clip, watches live, and refuses a store that rolled back. See the
 * {@linkplain dev.obscura.examples.scenarios.phoneviewer package} for who runs what. Run: {@code
 * PhoneViewer WORKDIR [RECORD_SECONDS [LIVE_SECONDS]]}.
 */
public final class PhoneViewer {
  /** The camera's stream. */
  public static final StreamId PORCH = StreamId.of("porch");

  private PhoneViewer() {}

  /**
   * What the tablet did.
   *
   * @param enrolmentCode the code the owner's phone showed and the tablet typed in
   * @param firstContact how the tablet's first roster was authenticated
   * @param pinnedVersion the roster version the tablet pinned on first contact
   * @param streams the streams it listed
   * @param recordedSegments segments the camera recorded
   * @param newestClip what its export of the newest segment wrote
   * @param clipFile the exported MP4
   * @param framesPublished frames the camera sealed and published live
   * @param framesSeenLive frames the tablet verified live
   * @param liveRefused live messages it refused (0 on an honest relay)
   * @param rollbackOutcome the outcome of opening a store rolled back to an old roster
   * @param rollbackReason the trust failure's reason ({@code ROLLBACK})
   */
  public record Result(String enrolmentCode, VerifiedStore.FirstContact firstContact, long pinnedVersion,
      List<StreamId> streams, long recordedSegments, ExportStats newestClip, Path clipFile, long framesPublished,
      long framesSeenLive, long liveRefused, Outcome rollbackOutcome, TrustException.Reason rollbackReason) {
    public Result {
      streams = List.copyOf(streams);
    }
  }

  /**
   * Runs the scenario in {@code dir}.
   *
   * @param dir an empty working folder
   * @param record how long the camera records (1 s segments)
   * @param live how long it then streams live
   * @return what happened
   * @throws IOException if a file, the store or the relay fails
   * @throws ObscuraException if the honest store does not verify (it does, unless someone tampered)
   * @throws InterruptedException if interrupted while the tablet watches
   */
  public static Result run(Path dir, Duration record, Duration live)
      throws IOException, ObscuraException, InterruptedException {
    EntropySource entropy = EntropySource.system();
    Path cloudDir = dir.resolve("cloud");
    SegmentStore cloud = new FileSystemSegmentStore(cloudDir);
    CameraState camera = CameraState.open(dir.resolve("camera"), KeyProtection.platformKey(dir.resolve("camera-keystore.key")),
        entropy);

    // The owner's phone set the camera up, and now enrols the tablet: it shows an enrolment code.
    ViewerIdentity phone = ViewerIdentity.generate(entropy);
    Household onPhone = Household.of(cloud, FileTrustStore.besideKeyFile(dir.resolve("phone.key")), "cloud");
    onPhone.create(phone, "owner's phone", camera.newPairingCode(entropy), camera.identity().publicKey());
    ViewerIdentity tablet = ViewerIdentity.generate(entropy); // made on the tablet; only its public key travels
    Path tabletKey = dir.resolve("tablet.key");
    tablet.writeTo(tabletKey, KeyProtection.platformKey(dir.resolve("tablet-keystore.key")));
    String shown = onPhone.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet").enrolmentCode().toString();

    // The tablet's first contact: the code authenticates the roster the store shows, which the
    // tablet then pins. From here on every read goes through those pins.
    Household onTablet = Household.of(cloud, FileTrustStore.besideKeyFile(tabletKey), "cloud");
    VerifiedStore first = onTablet.open(EnrolmentCode.parse(shown));
    long pinned = first.roster().map(Roster::version).orElse(0L);

    // The provider keeps a copy of the store as it is now (roster version 2) ...
    Path backup = dir.resolve("cloud-backup");
    copyTree(cloudDir, backup);
    // ... the owner enrols one more device (version 3), and the camera records.
    onPhone.enrol(phone, ViewerIdentity.generate(entropy).publicKey(), Roster.Role.VIEWER, "second phone");
    long segments;
    try (SegmentSource source = Segmenters.synthetic(VideoSettings.QVGA_240P15, record, Duration.ofSeconds(1),
            Clock.systemUTC());
        Recorder recorder = Recorder.builder().store(cloud).stream(PORCH).camera(camera)
            .chainSigner(camera.identity().signingKey(), 2).build()) {
      for (MediaSegment s; (s = source.next()) != null; ) {
        recorder.accept(s);
      }
      segments = recorder.segments();
    }

    // The tablet opens the app: lists the streams and exports the newest clip (the last segment).
    VerifiedStore view = onTablet.open(null); // pins version 3 now
    List<StreamId> streams = new ArrayList<>(StreamReader.streams(view.store()));
    List<SegmentHeader> headers;
    try (StreamReader listing = StreamReader.open(view.store(), PORCH, view.epochKeys(tablet))) {
      headers = listing.headers();
    }
    SegmentHeader newest = headers.get(headers.size() - 1);
    Path clip = dir.resolve("newest.mp4");
    ExportStats exported = Clips.export(view, tablet, PORCH, StreamRange.all().from(newest.startTime()), clip);

    // Then it watches the porch live.
    long published;
    LiveViewer.Stats seen;
    RelayToken publish = token(entropy);
    RelayToken subscribe = token(entropy);
    try (RelayServer relay = RelayServer.start(RelayConfig.builder().port(0).build(),
        RelayStreams.builder().add(PORCH, publish, subscribe).build())) {
      LiveSubscriber in = RelayLive.connectSubscriber(relay.uri(), PORCH, subscribe, RelayClientConfig.defaults());
      LiveViewer viewer = LiveViewer.builder(PORCH, tablet, onTablet.open(null)).build();
      FutureTask<LiveViewer.Stats> watching = new FutureTask<>(
          () -> viewer.watch(in, Duration.ofMinutes(1), frame -> { /* to the tablet's decoder */ }));
      new Thread(watching, "tablet-viewer").start();
      awaitViewer(relay);
      try (LivePublisher out = RelayLive.connectPublisher(relay.uri(), PORCH, publish, RelayClientConfig.defaults());
          FrameSource frames = FrameSources.synthetic(VideoSettings.QVGA_240P15, live, Duration.ofSeconds(1), true);
          LiveCamera cam = LiveCamera.builder().store(cloud).stream(PORCH).camera(camera).publisher(out).build()) {
        published = cam.run(frames).frames();
      }
      awaitDelivered(relay, published + 1); // every frame and the envelope handed to the tablet
      in.close(); // the user leaves the live view
      seen = watching.get();
      viewer.close();
    } catch (ExecutionException e) {
      throw new IOException("the tablet's viewer failed", e.getCause());
    }

    // The provider serves its old copy: the tablet, which pinned version 3, refuses it.
    Outcome rollback = null;
    TrustException.Reason reason = null;
    try {
      Household.of(new FileSystemSegmentStore(backup), FileTrustStore.besideKeyFile(tabletKey), "cloud").open(null);
    } catch (TrustException e) {
      rollback = e.outcome();
      reason = e.reason();
    }
    return new Result(shown, first.firstContact(), pinned, streams, segments, exported, clip, published,
        seen.framesOut(), seen.refused(), rollback, reason);
  }

  private static RelayToken token(EntropySource entropy) {
    byte[] b = new byte[24];
    entropy.nextBytes(b);
    return RelayToken.of(Hex.format(b));
  }

  private static void awaitViewer(RelayServer relay) throws InterruptedException, IOException {
    await(() -> relay.stats().stream(PORCH).map(s -> s.viewers().size()).orElse(0) >= 1, "the tablet to subscribe");
  }

  private static void awaitDelivered(RelayServer relay, long messages) throws InterruptedException, IOException {
    await(() -> relay.stats().stream(PORCH)
        .map(s -> s.viewers().stream().mapToLong(RelayStats.ViewerStats::messagesOut).sum()).orElse(0L) >= messages,
        "the relay to deliver " + messages + " messages");
  }

  private static void await(java.util.function.BooleanSupplier done, String what)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("timed out after 10 s waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The provider's copy of the store folder (plain file copies: it holds only ciphertext). */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * Runs the scenario and prints what happened.
   *
   * @param args the working folder, then optionally the recorded (3) and live (2) seconds
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: PhoneViewer WORKDIR [RECORD_SECONDS [LIVE_SECONDS]]");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Paths.get(args[0]));
    Result r = run(dir, Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 3),
        Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 2));
    System.out.printf("tablet enrolled with code %s (%s), pinned roster version %d%n", r.enrolmentCode(),
        r.firstContact(), r.pinnedVersion());
    System.out.printf("streams %s; newest clip %s: %d frames from %d of %d segments, verified%n", r.streams(),
        r.clipFile(), r.newestClip().frames(), r.newestClip().segments(), r.recordedSegments());
    System.out.printf("live: %d of %d frames verified, %d refused%n", r.framesSeenLive(), r.framesPublished(),
        r.liveRefused());
    System.out.printf("a store rolled back to an old roster: refused (%s, %s)%n", r.rollbackOutcome(), r.rollbackReason());
  }
}
