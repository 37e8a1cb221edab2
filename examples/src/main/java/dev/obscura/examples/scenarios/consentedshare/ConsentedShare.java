package dev.obscura.examples.scenarios.consentedshare;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.share.ShareRecord;
import dev.obscura.crypto.share.ShareRequest;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.share.VerifiedShare;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A consented share: the owner hands three seconds of one camera to an insurer's key; the insurer
 * verifies the grant is complete and decrypts it, and can open nothing else; a grant a carrier
 * cut or spliced is refused. See the {@linkplain dev.obscura.examples.scenarios.consentedshare
 * package} for who runs what. Run: {@code ConsentedShare WORKDIR [RECORD_SECONDS]}.
 */
public final class ConsentedShare {
  /** The camera's stream. */
  public static final StreamId DRIVEWAY = StreamId.of("driveway");

  private ConsentedShare() {}

  /**
   * What the run did.
   *
   * @param recordedSegments segments the camera recorded
   * @param record the owner's signed record, as the recipient verified it
   * @param sharedSegments segments the recipient verified and decrypted
   * @param clip what the recipient wrote of them
   * @param clipFile the recipient's MP4
   * @param grantFile the grant as the owner sent it
   * @param outsideOutcome the outcome of the recipient's attempt to open the stream in the store
   *     itself (footage outside the clip)
   * @param cutOutcome the outcome of verifying the grant with a segment removed
   * @param splicedOutcome the outcome of verifying it with a segment replaced by one outside the clip
   */
  public record Result(long recordedSegments, ShareRecord record, int sharedSegments, ExportStats clip, Path clipFile,
      Path grantFile, Outcome outsideOutcome, Outcome cutOutcome, Outcome splicedOutcome) {}

  /**
   * Runs the scenario in {@code dir}.
   *
   * @param dir an empty working folder
   * @param record how long the camera records (1 s segments; at least 5 s: the clip is seconds 1
   *     to 4)
   * @return what happened
   * @throws IOException if a file or the store fails
   * @throws ObscuraException if the honest grant does not verify (it does, unless someone tampered)
   */
  public static Result run(Path dir, Duration record) throws IOException, ObscuraException {
    if (record.getSeconds() < 5) {
      throw new IllegalArgumentException("record at least 5 s");
    }
    EntropySource entropy = EntropySource.system();
    SegmentStore cloud = new FileSystemSegmentStore(dir.resolve("cloud"));
    CameraState camera = CameraState.open(dir.resolve("camera"),
        KeyProtection.platformKey(dir.resolve("camera-keystore.key")), entropy);
    ViewerIdentity phone = ViewerIdentity.generate(entropy);
    Household home = Household.of(cloud, FileTrustStore.besideKeyFile(dir.resolve("phone.key")), "cloud");
    home.create(phone, "owner's phone", camera.newPairingCode(entropy), camera.identity().publicKey());

    // The camera records the driveway, signing its hash chain.
    long recorded;
    try (SegmentSource source = Segmenters.synthetic(VideoSettings.QVGA_240P15, record, Duration.ofSeconds(1),
            Clock.systemUTC());
        Recorder recorder = Recorder.builder().store(cloud).stream(DRIVEWAY).camera(camera)
            .chainSigner(camera.identity().signingKey(), 2).build()) {
      for (MediaSegment s; (s = source.next()) != null; ) {
        recorder.accept(s);
      }
      recorded = recorder.segments();
    }

    // The insurer makes a key and sends its public half to the owner; the owner grants it seconds
    // 1 to 4 of the driveway, with a reason. The grant is signed and recorded in the audit log.
    ViewerIdentity insurer = ViewerIdentity.generate(entropy);
    ShareRequest request = ShareRequest.builder().stream(DRIVEWAY).recipient(insurer.publicKey())
        .reason("claim 2026-118: car scratched in the driveway")
        .range(StreamRange.all().fromOffset(Duration.ofSeconds(1)).toOffset(Duration.ofSeconds(4))).build();
    byte[] grant = home.share(phone, request, null).grant().encode();
    Path grantFile = dir.resolve("driveway.grant");
    Files.write(grantFile, grant); // by mail, a link, a USB stick: the grant protects itself

    // The insurer verifies it: the owner's signature (the owner's key it got with the claim), the
    // camera's signed chain, every segment, and only then decrypts.
    ShareVerifier verifier = ShareVerifier.expectingOwner(Household.signingKey(phone).verifyingKey());
    VerifiedShare share = verifier.verify(Files.readAllBytes(grantFile), insurer);
    Path clip = dir.resolve("claim.mp4");
    ExportStats written = Mp4Export.write(share.plaintexts(), clip);

    // The insurer also has the store's address: nothing in it opens with its key.
    Outcome outside = null;
    try (StreamReader reader = StreamReader.open(cloud, DRIVEWAY,
        VerifiedStore.builder().store(cloud).open().epochKeys(insurer))) {
      for (OpenedSegment s; (s = reader.next()) != null; ) {
        // never reached: no envelope is wrapped to the insurer
      }
    } catch (ObscuraException e) {
      outside = e.outcome();
    }

    // A carrier cuts the middle segment out of the grant, or puts in its place the segment just
    // after the clip (which it holds: the store is the cloud).
    ShareRecord r = share.record();
    byte[] after = cloud.readAll(ObjectNames.segment(new SegmentId(DRIVEWAY, r.lastSequence() + 1)), 64 << 20);
    Outcome cut = refusal(verifier, GrantSegments.replace(grant, 1, null), insurer);
    Outcome spliced = refusal(verifier, GrantSegments.replace(grant, 1, after), insurer);
    return new Result(recorded, r, share.segments().size(), written, clip, grantFile, outside, cut, spliced);
  }

  private static Outcome refusal(ShareVerifier verifier, byte[] grant, ViewerIdentity recipient) {
    try {
      verifier.verify(grant, recipient);
      return null;
    } catch (ObscuraException e) {
      return e.outcome();
    }
  }

  /**
   * What a hostile carrier does to a grant file, by its public framing ({@code
   * docs/spec/share-grant-v1.md} section 4): no key is needed to cut or splice it, only to make
   * the recipient accept the result, which it cannot.
   */
  static final class GrantSegments {
    private GrantSegments() {}

    /** The grant with segment {@code i} removed ({@code with} null) or replaced by {@code with}. */
    static byte[] replace(byte[] grant, int i, byte[] with) {
      ByteBuffer b = ByteBuffer.wrap(grant);
      b.position(5);
      skip(b, b.getInt() + 64); // record body and signature
      skip(b, b.getShort() & 0xffff); // wrapped grant key
      skip(b, b.getInt()); // sealed keys
      int manifests = b.getShort() & 0xffff;
      for (int m = 0; m < manifests; m++) {
        skip(b, b.getInt());
      }
      int countAt = b.position();
      int count = b.getInt();
      List<byte[]> segments = new ArrayList<>();
      for (int s = 0; s < count; s++) {
        byte[] seg = new byte[b.getInt()];
        b.get(seg);
        segments.add(seg);
      }
      if (with == null) {
        segments.remove(i);
      } else {
        segments.set(i, with);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(grant, 0, countAt);
      out.writeBytes(ByteBuffer.allocate(4).putInt(segments.size()).array());
      for (byte[] seg : segments) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(seg.length).array());
        out.writeBytes(seg);
      }
      return out.toByteArray();
    }

    private static void skip(ByteBuffer b, int n) {
      b.position(b.position() + n);
    }
  }

  /**
   * Runs the scenario and prints what happened.
   *
   * @param args the working folder, then optionally the recorded seconds (6)
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ConsentedShare WORKDIR [RECORD_SECONDS]");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Paths.get(args[0]));
    Result r = run(dir, Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 6));
    System.out.printf("shared segments %d..%d of %d (%s), verified by the recipient: %d frames in %s%n",
        r.record().firstSequence(), r.record().lastSequence(), r.recordedSegments(), r.record().describe(),
        r.clip().frames(), r.clipFile());
    System.out.printf("the recipient opening the store itself: %s; the grant cut: %s; spliced: %s%n",
        r.outsideOutcome(), r.cutOutcome(), r.splicedOutcome());
  }
}
