package dev.obscura.examples.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.Bytes;
import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.SegmentFormat;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.sframe.SFrameHeader;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.testing.KilledChild;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kill loops of issue 14: a paired camera recording into a folder store ({@link
 * CameraKillMain}: the SDK {@link Recorder} in a child JVM), and a paired camera's live view
 * ({@link LiveKillMain}: {@link dev.obscura.crypto.live.LiveCamera} in a child JVM), each killed
 * with SIGKILL at a random point after its first acknowledgement and restarted, {@code kills}
 * times.
 *
 * <p>The (key id, nonce) pairs are not logged by the child: they are taken afterwards from what
 * left it. For recording, from the sealed objects on disk, after every kill: the key id of a
 * segment is (stream, epoch, sequence), the segment key being HKDF(epoch key, stream, sequence),
 * and its nonce is the 24-byte random salt that, with that key, gives the chunk key and base
 * nonce (docs/spec/sealed-segment-v1.md section 4). A second salt under one key id is a repeat
 * (the spec forbids two plaintexts under one stream, sequence and epoch). For live, from every
 * SFrame ciphertext the child handed its transport: the key id and counter of its SFrame header.
 * Both loops also check that an envelope or manifest, once written, never changes (an epoch
 * number or a manifest reused); the recording loop that every acknowledged sequence number is
 * acknowledged once, is readable at the end, and is covered by a manifest signed by the camera.
 *
 * <p>{@code main(record|live, kills, work folder[, seed])} is run by {@code scripts/kill-loop.sh};
 * {@link CameraKillTest} and {@link LiveKillTest} run short loops in the suite.
 */
public final class KillLoop {
  private KillLoop() {}

  /** What one loop did. */
  public record Result(String mode, int kills, long acknowledged, long nonces, long repeats,
      long envelopes, long manifests, long storeGaps, long millis) {
    String line() {
      return String.format(Locale.ROOT, "kill loop %s: %d SIGKILLs (each a start, a random run and a kill),"
          + " %d acknowledged, %d (key id, nonce) pairs checked, %d repeats, %d envelopes, %d manifests,"
          + " %d store gaps, %.1f s", mode, kills,
          acknowledged, nonces, repeats, envelopes, manifests, storeGaps, millis / 1000.0);
    }
  }

  /** A camera paired with a household whose phone can read everything it records. */
  record Home(Path store, Path camera, Path platform, ViewerIdentity phone, dev.obscura.crypto.sign.VerifyingKey cameraKey) {
    static Home create(Path work) throws Exception {
      Path storeDir = work.resolve("store");
      Path cameraDir = work.resolve("camera");
      Path platform = work.resolve("platform.key");
      FileSystemSegmentStore store = new FileSystemSegmentStore(storeDir);
      CameraState camera = CameraState.open(cameraDir, KeyProtection.platformKey(platform), EntropySource.system());
      PairingCode code = camera.newPairingCode(EntropySource.system());
      Household.publishCameraKey(store, camera.identity().publicKey());
      ViewerIdentity phone = ViewerIdentity.generate();
      Household.of(store, FileTrustStore.besideKeyFile(work.resolve("phone.key")), "kill-loop")
          .create(phone, "phone", PairingCode.parse(code.toCodeString()), null);
      return new Home(storeDir, cameraDir, platform, phone, camera.identity().publicKey());
    }
  }

  /**
   * The recording loop. With {@code truncateAtRun >= 0}, the store drops its two newest segments
   * after that run (behind the camera's back): the restart must report them and reuse nothing.
   */
  public static Result record(Path work, int kills, long seed, int maxKillDelayMs, int truncateAtRun)
      throws Exception {
    long t0 = System.nanoTime();
    Home home = Home.create(work);
    FileSystemSegmentStore store = new FileSystemSegmentStore(home.store());
    Random random = new Random(seed);
    StreamId stream = CameraKillMain.STREAM;
    List<Long> acknowledged = new ArrayList<>();
    Map<String, String> nonceOf = new HashMap<>(); // key id -> salt
    Set<String> pairs = new HashSet<>();
    long[] repeats = new long[1];
    Map<String, byte[]> frozen = new HashMap<>(); // envelopes and manifests: written once
    long[] lowest = {0};
    TreeSet<Long> deleted = new TreeSet<>();
    TreeSet<Long> ackedWhenTruncated = new TreeSet<>();
    for (int run = 0; run < kills; run++) {
      acknowledged.addAll(runAndKill(CameraKillMain.class, line -> line.matches("\\d+"), home, run,
          random.nextInt(maxKillDelayMs + 1)).stream().map(Long::parseLong).toList());
      scanSegments(store, stream, lowest, nonceOf, pairs, repeats);
      checkFrozen(store, stream, frozen);
      if (run == truncateAtRun) {
        TreeSet<Long> present = CameraKillTest.segments(store);
        ackedWhenTruncated.addAll(acknowledged);
        for (int i = 0; i < 2 && !present.isEmpty(); i++) {
          long last = present.pollLast();
          deleted.add(last);
          Files.delete(home.store().resolve(ObjectNames.segment(new SegmentId(stream, last))));
        }
        lowest[0] = 0;
      }
    }
    // a last, orderly start and stop: the restart signs what was pending, close signs the rest
    CameraState again = CameraState.open(home.camera(), KeyProtection.platformKey(home.platform()),
        EntropySource.system());
    long gaps;
    try (Recorder r = Recorder.builder().store(store).stream(stream).camera(again)
        .chainSigner(again.identity().signingKey(), 3).build()) {
      gaps = r.storeGaps();
      long deletedAcknowledged = deleted.stream().filter(ackedWhenTruncated::contains).count();
      assertTrue(gaps >= deletedAcknowledged && gaps <= deleted.size(), "the truncation is reported: " + gaps
          + " gap(s), deleted " + deleted + ", of them acknowledged " + deletedAcknowledged);
    }
    checkFrozen(store, stream, frozen);
    scanSegments(store, stream, lowest, nonceOf, pairs, repeats);
    assertEquals(0, repeats[0], "a (key id, nonce) was repeated: a segment key sealed two plaintexts");
    assertEquals(new TreeSet<>(acknowledged).size(), acknowledged.size(),
        "a sequence number was acknowledged twice: " + acknowledged);
    ChainVerifier chain = ChainVerifier.load(store, stream, home.cameraKey());
    for (long seq : acknowledged) {
      assertTrue(chain.covers(seq), "acknowledged segment " + seq + " is in a signed manifest");
    }
    if (deleted.isEmpty()) {
      TreeSet<Long> read = new TreeSet<>();
      try (StreamReader reader = StreamReader.open(store, stream, new EnvelopeKeyResolver(store, home.phone()))) {
        for (OpenedSegment s; (s = reader.next()) != null; ) {
          assertTrue(s.plaintext().length >= 2000, "segment " + s.header().sequence() + " opened whole");
          read.add(s.header().sequence());
        }
      }
      assertTrue(read.containsAll(acknowledged), "every acknowledged segment opens: read " + read.size()
          + ", acknowledged " + acknowledged.size());
    }
    assertTrue(acknowledged.size() >= kills, "the camera sealed segments before each kill: " + acknowledged.size());
    long envelopes = frozen.keySet().stream().filter(n -> !n.contains("/manifests/")).count();
    return new Result("record", kills, acknowledged.size(), pairs.size(), repeats[0], envelopes,
        frozen.size() - envelopes, gaps, (System.nanoTime() - t0) / 1_000_000);
  }

  /** The live loop. */
  public static Result live(Path work, int kills, long seed, int maxKillDelayMs) throws Exception {
    long t0 = System.nanoTime();
    Home home = Home.create(work);
    FileSystemSegmentStore store = new FileSystemSegmentStore(home.store());
    Random random = new Random(seed);
    StreamId stream = StreamId.of(LiveKillMain.STREAM);
    Set<String> pairs = new HashSet<>();
    Set<Long> counters = new HashSet<>();
    Set<Long> kids = new TreeSet<>();
    long repeats = 0;
    long counterRepeats = 0;
    long frames = 0;
    Map<String, byte[]> frozen = new HashMap<>();
    for (int run = 0; run < kills; run++) {
      List<String> sent = runAndKill(LiveKillMain.class, line -> line.startsWith("F "), home, run,
          random.nextInt(maxKillDelayMs + 1));
      for (String line : sent) {
        byte[] frame = Hex.parse(line.substring(2));
        SFrameHeader h = SFrameHeader.decode(frame, 0, frame.length);
        if (!pairs.add(h.kid() + "/" + h.counter())) {
          repeats++;
        }
        if (!counters.add(h.counter())) {
          counterRepeats++;
        }
        kids.add(h.kid());
        frames++;
      }
      checkFrozen(store, stream, frozen);
    }
    assertEquals(0, repeats, "a (key id, counter) was repeated");
    assertEquals(0, counterRepeats, "an SFrame counter was used twice (it runs on across epochs and restarts)");
    for (long kid : kids) {
      byte[] env = store.readAll(ObjectNames.envelope(stream, dev.obscura.core.EpochId.of(kid)),
          KeyEnvelope.MAX_ENVELOPE_BYTES);
      KeyEnvelope.parse(env).verifySignature(List.of(home.cameraKey()));
    }
    assertTrue(frames >= kills, "the camera sent frames before each kill: " + frames);
    assertTrue(kids.size() >= kills, "every start is a new epoch (key id): " + kids.size());
    return new Result("live", kills, frames, pairs.size(), repeats, frozen.size(), 0, 0,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private static List<String> runAndKill(Class<?> main, java.util.function.Predicate<String> isAck, Home home,
      int run, int delayMs) throws Exception {
    try (KilledChild child = KilledChild.start(isAck, List.of("--enable-native-access=ALL-UNNAMED", "-Xmx128m"),
        main, home.store().toString(), home.camera().toString(), home.platform().toString(),
        Integer.toString(run))) {
      child.awaitFirstAck(120, main.getSimpleName() + " acknowledged nothing in run " + run);
      // anywhere after the first acknowledgement: mid-seal, mid-commit, mid-head, mid-manifest
      return child.killAfter(delayMs);
    }
  }

  /**
   * Reads the (key id, salt) of every segment at or above {@code lowest[0]} (only the newest can
   * have been sealed again under its number since the last scan) and records it.
   */
  private static void scanSegments(FileSystemSegmentStore store, StreamId stream, long[] lowest,
      Map<String, String> nonceOf, Set<String> pairs, long[] repeats) throws Exception {
    long highest = lowest[0];
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
      java.util.Optional<SegmentId> id = ObjectNames.parseSegment(o.name());
      if (!id.isPresent() || id.get().sequence() < lowest[0]) {
        continue;
      }
      SegmentHeader h;
      byte[] salt;
      try (InputStream in = store.open(o.name())) {
        h = SegmentFormat.readHeader(in);
        salt = Bytes.readUpTo(in, ChunkedEncryption.SALT_SIZE_BYTES);
      }
      String keyId = stream + "/" + h.epoch().value() + "/" + h.sequence();
      String nonce = Hex.format(salt);
      pairs.add(keyId + "/" + nonce);
      String before = nonceOf.putIfAbsent(keyId, nonce);
      if (before != null && !before.equals(nonce)) {
        repeats[0]++;
      }
      highest = Math.max(highest, h.sequence());
    }
    lowest[0] = Math.max(0, highest - 1);
  }

  /** Every envelope and manifest of {@code stream} seen before has the same bytes now. */
  static void checkFrozen(FileSystemSegmentStore store, StreamId stream, Map<String, byte[]> seen) throws Exception {
    List<StoredObject> objects = new ArrayList<>(store.list(ObjectNames.envelopePrefix(stream)));
    objects.addAll(store.list(stream + "/manifests/"));
    for (StoredObject o : objects) {
      byte[] now = store.readAll(o.name(), 1 << 24);
      byte[] before = seen.putIfAbsent(o.name(), now);
      assertTrue(before == null || Arrays.equals(before, now), o.name() + " was overwritten (a number reused)");
    }
  }

  /**
   * {@code record|live KILLS WORK [SEED [MAX_DELAY_MS]]}: runs one loop in a fresh WORK folder and
   * prints its figures; exits non-zero (an assertion error) if a check fails.
   */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int kills = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    long seed = args.length > 3 ? Long.parseLong(args[3]) : System.nanoTime();
    int delay = args.length > 4 ? Integer.parseInt(args[4]) : 300;
    Files.createDirectories(work);
    System.out.println("seed " + seed);
    Result r = mode.equals("live") ? live(work, kills, seed, delay) : record(work, kills, seed, delay, -1);
    System.out.println(r.line());
  }
}
