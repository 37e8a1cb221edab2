package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.codec.MotionDetector;
import dev.obscura.codec.Segmenters;
import dev.obscura.crypto.event.MotionEventDraft;
import dev.obscura.crypto.event.MotionEventFormat;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.trust.TrustOnFirstUseKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "record",
    description = {
      "Record video, seal each segment on the fly and store only ciphertext.",
      "Without --input it records the synthetic camera (a moving test pattern with the frame number burned in)."
    })
final class RecordCommand implements Callable<Integer> {
  @CommandLine.ParentCommand private ObscuraCli root;
  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--spool", paramLabel = "DIR", description = {
      "With an s3:// store: the local folder segments are committed to before they upload (a durable queue, one per store;"
          + " what is still pending at the end uploads on the next record with this spool).",
      "Default: $XDG_STATE_HOME/obscura/spool/HASH, else ~/.local/state/obscura/spool/HASH, HASH naming --store and --endpoint.",
      "Not allowed with a folder store, which is written directly."})
  Path spool;

  @Option(names = "--upload-wait", defaultValue = "30s", converter = Durations.class, paramLabel = "DURATION",
      description = "With an s3:// store: how long to wait at the end for the spool to upload (default: ${DEFAULT-VALUE}).")
  Duration uploadWait;

  @Option(names = "--recipient", paramLabel = "PUBFILE", description = "Viewer public key (viewer.pub) that may watch. Optional with --camera when the store has a roster (which then decides who may watch).")
  Path recipient;

  @Option(names = "--camera", paramLabel = "DIR", description = {
      "The camera's own state (identity key, pinned roster, epoch counters), never in the store; created on first use.",
      "With it, envelopes are signed, and keys are wrapped for the store's newest valid roster (re-read before every segment)."})
  Path camera;

  @Option(names = "--epoch-segments", defaultValue = "0", paramLabel = "N", description = "Rotate the epoch key every N segments (default: only at start and on roster changes).")
  int epochSegments;

  @Option(names = "--epoch-duration", converter = Durations.class, paramLabel = "DURATION", description = "Rotate the epoch key when an epoch has lasted this long.")
  Duration epochDuration;

  @Option(names = "--max-roster-age", converter = Durations.class, paramLabel = "DURATION", description = {
      "With --camera: wrap keys only for owners (and the recovery key) while the newest roster an owner signed is older than this,",
      "which bounds how long a store that withholds a revocation keeps a revoked viewer reading (owners renew with device renew).",
      "Default: no bound."})
  Duration maxRosterAge;

  @Option(names = "--input", paramLabel = "URL|FILE", description = "A file, rtsp:// URL or /dev/videoN device. H.264 is stored without re-encoding.")
  String input;

  @Option(names = "--duration", defaultValue = "10s", converter = Durations.class, description = "How much to record (default: ${DEFAULT-VALUE}). With --input, at most this much.")
  Duration duration;

  @Option(names = "--segment-seconds", defaultValue = "2", paramLabel = "S", description = "Target segment length in seconds (default: ${DEFAULT-VALUE}).")
  double segmentSeconds;

  @CommandLine.Mixin VideoOptions video;

  @Option(names = "--motion", description = {
      "Detect motion (frame differencing on the decoded video; H.264 input is decoded for this only) and store one",
      "end-to-end-encrypted event per motion beside the segments: its time, segments and a JPEG thumbnail, sealed under",
      "the epoch key, signed by the camera, padded to 16, 32 or 64 KiB (see obscura events, export --event).",
      "With --nats and --creds (the camera's), each event is also published to the household's JetStream events stream."})
  boolean motion;

  @CommandLine.ArgGroup(exclusive = false, heading = "With --motion, also publish events to a NATS JetStream cluster:%n")
  RelayArgs.Nats nats;

  @Option(names = "--motion-sensitivity", defaultValue = "0.5", paramLabel = "0..1",
      description = "With --motion: 0 reacts to large motion only, 1 to small or faint motion (default: ${DEFAULT-VALUE}).")
  double motionSensitivity = 0.5;

  @Option(names = "--motion-min", defaultValue = "1s", converter = Durations.class, paramLabel = "DURATION",
      description = "With --motion: the shortest motion that makes an event (default: ${DEFAULT-VALUE}).")
  Duration motionMin = Duration.ofSeconds(1);

  @Option(names = "--stream", defaultValue = "camera", description = "Stream name (default: ${DEFAULT-VALUE}).")
  String stream;

  @Option(names = "--padding", defaultValue = "none", converter = Paddings.class, paramLabel = "POLICY", description = Paddings.HELP
      + " Each stored segment is padded to the policy's size.")
  dev.obscura.crypto.padding.PaddingPolicy padding = dev.obscura.crypto.padding.PaddingPolicies.none(); // also when built without picocli (demo)

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** What one recording did, for the summary and for {@code demo}. */
  record Result(long frames, long segments, long plaintextBytes, long sealedBytes, long envelopeBytes) {}

  @Override
  public Integer call() throws Exception {
    Result r = record(spec.commandLine().getOut());
    spec.commandLine().getOut().printf(
        "recorded %d frames in %d segments: %d bytes of video sealed into %d bytes (+%d bytes of key envelope)%n",
        r.frames(), r.segments(), r.plaintextBytes(), r.sealedBytes(), r.envelopeBytes());
    return 0;
  }

  /** The detector of {@code --motion}: each event it reports is sealed and stored by the recorder. */
  private MotionDetector detector(Recorder recorder, PrintWriter out) {
    MotionDetector.Builder b = MotionDetector.builder().sensitivity(motionSensitivity).minDuration(motionMin)
        .maxThumbnailBytes(MotionEventFormat.MAX_THUMBNAIL_BYTES);
    if (input == null) {
      b.ignore(0, 0, 1, 0.25); // the synthetic camera's frame stamp band changes every frame
    }
    return b.listener(e -> {
      Recorder.RecordedEvent r = recorder.recordEvent(new MotionEventDraft(e.start(), e.end(), e.peak(), e.thumbnail()));
      out.printf("motion event %s: %s .. %s, segments %d..%d, %d -> %d bytes sealed%n", r.id(), e.start(), e.end(),
          r.firstSegment(), r.lastSegment(), r.unpaddedBytes(), r.sealedBytes());
      out.flush();
    }).build();
  }

  /** With {@code --motion --nats}: the camera's events go to the household's events stream too. */
  private dev.obscura.core.EventPublisher natsEvents(StreamId streamId) throws Exception {
    if (nats == null) {
      return null;
    }
    if (!motion) {
      throw new CliException(Outcome.USAGE, "--nats and --creds publish motion events: give --motion too");
    }
    dev.obscura.transport.nats.NatsLiveConfig config = nats.config();
    String household = RelayArgs.Nats.household(config);
    return nats.connect(() -> dev.obscura.transport.nats.NatsEventPublisher.connect(config,
        dev.obscura.transport.nats.NatsEventsConfig.defaults(), household, streamId));
  }

  private Recorder recorder(SegmentStore segmentStore, StreamId streamId, ViewerPublicKey viewer, CameraState state,
      Recorder.Listener listener, Clock clock, dev.obscura.core.EventPublisher events) throws Exception {
    Recorder.Builder b = Recorder.builder().store(segmentStore).stream(streamId).clock(clock)
        .listener(listener).segmentsPerEpoch(epochSegments).padding(padding);
    if (events != null) {
      b.eventPublisher(events); // beside the store, which always gets them
    }
    if (viewer != null) {
      b.recipients(List.of(viewer));
    }
    if (state != null) {
      b.camera(state); // it signs its hash chain (Recorder's default cadence)
      if (maxRosterAge != null) {
        b.maxRosterAge(maxRosterAge);
      }
    } else {
      // no camera identity: a per-recording key published in the store, trusted only where the
      // store has no roster (TrustOnFirstUseKeys, the SDK, defines and limits it)
      b.chainSigner(TrustOnFirstUseKeys.newCameraKey(segmentStore, streamId,
          root != null ? root.entropy() : EntropySource.system()), 30);
    }
    if (epochDuration != null) {
      b.epochDuration(epochDuration);
    }
    try {
      return b.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, e.getMessage());
    }
  }

  Result record(PrintWriter out) throws Exception {
    if (segmentSeconds <= 0 || segmentSeconds > 600) {
      throw new CliException(Outcome.USAGE, "--segment-seconds must be in (0, 600]");
    }
    VideoSettings settings = video.settings();
    StreamId streamId = Stores.parseStream(stream);
    if (recipient == null && camera == null) {
      throw new CliException(Outcome.USAGE, "give --recipient, or --camera (a paired camera)");
    }
    if (recipient != null && camera != null) {
      throw new CliException(Outcome.USAGE, "--recipient is for a camera without a roster: a paired --camera"
          + " wraps keys for its roster's devices");
    }
    if (maxRosterAge != null && (camera == null || maxRosterAge.isNegative())) {
      throw new CliException(Outcome.USAGE, "--max-roster-age needs --camera and a positive duration");
    }
    if (motionSensitivity < 0 || motionSensitivity > 1 || motionMin.isNegative()) {
      throw new CliException(Outcome.USAGE, "--motion-sensitivity must be in 0..1 and --motion-min not negative");
    }
    if (epochSegments < 0) {
      throw new CliException(Outcome.USAGE, "--epoch-segments must be >= 0");
    }
    ViewerPublicKey viewer = recipient == null ? null : ViewerPublicKey.readFrom(recipient);
    if (!store.isS3() && spool != null) {
      throw new CliException(Outcome.USAGE, "--spool is only for s3:// stores; a folder store is written directly");
    }
    if (uploadWait != null && uploadWait.isNegative()) {
      throw new CliException(Outcome.USAGE, "--upload-wait must not be negative");
    }
    SegmentStore remote = Stores.open(store, true);
    if (!store.isS3()) {
      return record(out, remote, viewer, streamId, settings);
    }
    PrintWriter err = spec != null ? spec.commandLine().getErr() : out;
    try (Spool spooled = Spool.open(store, spool, remote, out)) {
      Result r;
      try {
        r = record(out, spooled.store(), viewer, streamId, settings);
      } catch (Exception e) {
        spooled.notePending(err); // what was acknowledged before the failure is kept
        throw e;
      }
      spooled.drain(uploadWait == null ? Duration.ofSeconds(30) : uploadWait, out, err);
      return r;
    }
  }

  private Result record(PrintWriter out, SegmentStore segmentStore, ViewerPublicKey viewer, StreamId streamId,
      VideoSettings settings) throws Exception {
    PrintWriter err = spec != null ? spec.commandLine().getErr() : out; // demo runs record without picocli
    CameraState state = null;
    if (camera != null) {
      state = CameraState.open(camera, Secrets.protection(null), EntropySource.system());
      if (state.created()) {
        out.printf("created the camera identity in %s%ncamera fingerprint: %s%n", camera, state.identity().fingerprint());
      }
    }
    Recorder.Listener listener = new Recorder.Listener() {
      @Override
      public void rosterAccepted(Roster r) {
        out.printf("roster version %d accepted (%s%s), fingerprint %s%n", r.version(), Table.count(r.members().size(), "device"),
            r.recovery().isPresent() ? " and recovery" : "", r.fingerprint());
        for (Roster.Member m : r.members()) {
          if (m.role() == Roster.Role.OWNER) {
            out.printf("  owner %s%s (compare with the device)%n", m.fingerprint(), m.name().isEmpty() ? "" : " " + m.name());
          }
        }
        out.flush();
        err.flush();
      }

      @Override
      public void rosterRefused(RosterRejectedException refusal) {
        err.println("obscura: warning: " + refusal.getMessage() + "; keys stay wrapped for the previous roster only");
        err.flush();
      }
    };
    Duration segment = Duration.ofMillis(Math.round(segmentSeconds * 1000));
    Clock clock = Clock.systemUTC();
    long frames = 0;
    try (dev.obscura.core.EventPublisher events = natsEvents(streamId);
        SegmentSource source = input == null
            ? Segmenters.synthetic(settings, duration, segment, clock)
            : Segmenters.open(input, duration, segment, null, clock);
        Recorder recorder = recorder(segmentStore, streamId, viewer, state, listener, clock, events)) {
      if (recorder.storeGaps() > 0) {
        err.println("obscura: warning: the store lacks " + recorder.storeGaps() + " segment" + (recorder.storeGaps() == 1 ? "" : "s") + " of " + streamId
            + " this camera sealed: recording continues above them (no number is reused)");
        err.flush();
      }
      MotionDetector detector = motion ? detector(recorder, out) : null;
      for (MediaSegment s; (s = source.next()) != null; ) {
        SealedSegmentInfo info = recorder.seal(s);
        frames += s.frameCount();
        out.printf("sealed %s: %d frames, %d -> %d bytes%n",
            info.objectName(), s.frameCount(), info.plaintextSizeBytes(), info.sealedSizeBytes());
        out.flush();
        if (detector != null) {
          detector.accept(s); // after the segment is sealed: an event names segments already stored
        }
      }
      if (detector != null) {
        detector.finish();
        out.printf("motion: %d event%s stored%n", recorder.eventsRecorded(), recorder.eventsRecorded() == 1 ? "" : "s");
      }
      return new Result(frames, recorder.segments(), recorder.plaintextBytes(),
          recorder.sealedBytes(), recorder.envelopeBytes());
    }
  }
}
