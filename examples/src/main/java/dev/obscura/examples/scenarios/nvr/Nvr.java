package dev.obscura.examples.scenarios.nvr;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EntropySource;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.trust.EnrolmentCode;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.examples.scenarios.Clips;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network video recorder sealing several cameras into one household's store; the owner exports
 * every stream; a revoked tablet reads what was sealed before its revocation and nothing after.
 * See the {@linkplain dev.obscura.examples.scenarios.nvr package} for who runs what. Run: {@code
 * Nvr WORKDIR [CAMERAS [SECONDS]]}.
 */
public final class Nvr {
  private Nvr() {}

  /**
   * What one stream gave.
   *
   * @param recordedSegments segments the NVR sealed
   * @param recordedFrames frames in them
   * @param exported what the owner's verified export wrote
   * @param tabletOpened segments the revoked tablet could open (those sealed before the revocation)
   * @param tabletRefusedAt the sequence number of the first segment it could not open, or -1
   * @param tabletOutcome the outcome it was refused with, or null if it was not
   */
  public record StreamResult(long recordedSegments, long recordedFrames, ExportStats exported, int tabletOpened,
      long tabletRefusedAt, Outcome tabletOutcome) {}

  /**
   * What the run did.
   *
   * @param listed the streams the owner found in the store
   * @param revokedAfter segments per stream sealed before the tablet was revoked
   * @param rosterVersion the roster version the NVR recorded under at the end
   * @param streams per stream, what was recorded, exported and refused
   */
  public record Result(List<StreamId> listed, int revokedAfter, long rosterVersion, Map<StreamId, StreamResult> streams) {
    public Result {
      listed = List.copyOf(listed);
      streams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }
  }

  /**
   * Runs the scenario in {@code dir}.
   *
   * @param dir an empty working folder
   * @param cameras how many cameras the NVR records (1 to 8)
   * @param seconds how long each records, in 1 s segments (at least 2: the tablet is revoked after
   *     the first half)
   * @return what happened
   * @throws IOException if a file or the store fails
   * @throws ObscuraException if the owner's side does not verify (it does, unless someone tampered)
   */
  public static Result run(Path dir, int cameras, int seconds) throws IOException, ObscuraException {
    if (cameras < 1 || cameras > 8 || seconds < 2) {
      throw new IllegalArgumentException("1 to 8 cameras, at least 2 seconds");
    }
    EntropySource entropy = EntropySource.system();
    SegmentStore cloud = new FileSystemSegmentStore(dir.resolve("cloud"));

    // The NVR is the household's one sealing device: one identity, one pairing code, one stream
    // per camera input.
    CameraState nvr = CameraState.open(dir.resolve("nvr"), KeyProtection.platformKey(dir.resolve("nvr-keystore.key")),
        entropy);
    ViewerIdentity owner = ViewerIdentity.generate(entropy);
    owner.writeTo(dir.resolve("owner.key"), KeyProtection.platformKey(dir.resolve("owner-keystore.key")));
    ViewerIdentity tablet = ViewerIdentity.generate(entropy);
    Household home = Household.of(cloud, FileTrustStore.besideKeyFile(dir.resolve("owner.key")), "cloud");
    home.create(owner, "owner's phone", nvr.newPairingCode(entropy), nvr.identity().publicKey());
    EnrolmentCode tabletCode = home.enrol(owner, tablet.publicKey(), Roster.Role.VIEWER, "kitchen tablet")
        .enrolmentCode();
    Household onTablet = Household.of(cloud, FileTrustStore.besideKeyFile(dir.resolve("tablet.key")), "cloud");
    onTablet.open(tabletCode); // the tablet's first contact: it pins roster version 2

    // The NVR records every camera, one segment of each in turn. Half way, the owner revokes the
    // tablet (it was lost): each recorder sees the new roster before its next segment and starts
    // a new epoch, wrapped to the owner only.
    List<StreamId> ids = new ArrayList<>();
    List<SegmentSource> sources = new ArrayList<>();
    List<Recorder> recorders = new ArrayList<>();
    Map<StreamId, long[]> recorded = new LinkedHashMap<>();
    int half = seconds / 2;
    try {
      for (int i = 0; i < cameras; i++) {
        StreamId id = StreamId.of("camera-" + (i + 1));
        ids.add(id);
        recorded.put(id, new long[2]);
        sources.add(Segmenters.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(seconds),
            Duration.ofSeconds(1), Clock.systemUTC()));
        recorders.add(Recorder.builder().store(cloud).stream(id).camera(nvr)
            .chainSigner(nvr.identity().signingKey(), 2).build());
      }
      for (int round = 0; ; round++) {
        if (round == half) {
          home.revoke(owner, tablet.publicKey());
        }
        boolean any = false;
        for (int i = 0; i < cameras; i++) {
          MediaSegment s = sources.get(i).next();
          if (s != null) {
            recorders.get(i).accept(s);
            long[] c = recorded.get(ids.get(i));
            c[0]++;
            c[1] += s.frameCount();
            any = true;
          }
        }
        if (!any) {
          break;
        }
      }
    } finally {
      for (Recorder r : recorders) {
        r.close(); // signs the manifest over the last segments
      }
      for (SegmentSource s : sources) {
        s.close();
      }
    }
    long version = recorders.get(0).roster().map(Roster::version).orElse(0L);

    // The owner lists the streams and exports each, verified.
    VerifiedStore ownerView = home.open(null);
    List<StreamId> listed = new ArrayList<>(StreamReader.streams(cloud));
    Map<StreamId, StreamResult> results = new LinkedHashMap<>();
    VerifiedStore tabletView = onTablet.open(null); // the tablet's pins: it sees its own revocation
    for (StreamId id : listed) {
      ExportStats stats = Clips.export(ownerView, owner, id, StreamRange.all(), dir.resolve(id + ".mp4"));
      // The revoked tablet tries the same stream.
      int opened = 0;
      long refusedAt = -1;
      Outcome outcome = null;
      try (StreamReader reader = StreamReader.open(cloud, id, tabletView.epochKeys(tablet))) {
        for (OpenedSegment s; (s = reader.next()) != null; ) {
          opened++;
        }
      } catch (KeyUnavailableException e) {
        refusedAt = opened;
        outcome = e.outcome();
      }
      long[] c = recorded.getOrDefault(id, new long[2]);
      results.put(id, new StreamResult(c[0], c[1], stats, opened, refusedAt, outcome));
    }
    return new Result(listed, half, version, results);
  }

  /**
   * Runs the scenario and prints what happened.
   *
   * @param args the working folder, then optionally the number of cameras (3) and seconds each (4)
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: Nvr WORKDIR [CAMERAS [SECONDS]]");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Paths.get(args[0]));
    Result r = run(dir, args.length > 1 ? Integer.parseInt(args[1]) : 3, args.length > 2 ? Integer.parseInt(args[2]) : 4);
    System.out.println("streams in the store: " + r.listed() + "; the tablet was revoked after " + r.revokedAfter()
        + " segments (roster version " + r.rosterVersion() + ")");
    r.streams().forEach((id, s) -> System.out.printf("%s: %d segments, %d frames recorded; owner exported %d frames,"
        + " verified; revoked tablet opened %d, refused at segment %d (%s)%n", id, s.recordedSegments(),
        s.recordedFrames(), s.exported().frames(), s.tabletOpened(), s.tabletRefusedAt(), s.tabletOutcome()));
  }
}
