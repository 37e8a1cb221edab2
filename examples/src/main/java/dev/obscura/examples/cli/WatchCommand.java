package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.crypto.live.LiveViewer;
import dev.obscura.examples.live.LiveMp4Writer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "watch",
    description = {
      "Watch a camera live through a relay or a NATS JetStream cluster and write what this device sees to an MP4, from the first keyframe.",
      "Key envelopes must be signed by the camera the store's verified roster pins; replayed, stale, forged and unannounced",
      "frames are refused (and counted), never written. A frame is stale when its authenticated capture time is more than",
      "--frame-tolerance from this machine's clock, so a relay cannot replay a recorded session later."
    })
final class WatchCommand implements Callable<Integer> {
  @CommandLine.Mixin RelayArgs relayArgs;

  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--identity", required = true, paramLabel = "KEYFILE", description = "This device's private key.")
  Path identity;

  @Option(names = "--out", required = true, paramLabel = "FILE.mp4", description = "MP4 file to write (must not exist, unless --force).")
  Path out;

  @CommandLine.Mixin OutputGuard output;

  @CommandLine.Mixin DeviceTrust trust;

  @Option(names = "--duration", defaultValue = "10s", converter = Durations.class, description = "How long to watch (default: ${DEFAULT-VALUE}); it ends earlier if the relay closes.")
  Duration duration;

  @Option(names = "--frames", paramLabel = "N", description =
      "Stop once N frames are written (default: no limit, watch for the whole --duration).")
  Integer frames;

  @Option(names = "--frame-tolerance", defaultValue = "10s", converter = Durations.class, paramLabel = "DURATION", description =
      "Refuse frames captured more than this before or after this machine's clock (default: ${DEFAULT-VALUE}: network and relay delay plus clock skew).")
  Duration frameTolerance;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    StreamId streamId = relayArgs.streamId();
    if (duration.isNegative() || duration.isZero()) {
      throw new CliException(Outcome.USAGE, "--duration must be positive");
    }
    if (frames != null && frames <= 0) {
      throw new CliException(Outcome.USAGE, "--frames must be positive");
    }
    if (frameTolerance.isNegative() || frameTolerance.isZero()) {
      throw new CliException(Outcome.USAGE, "--frame-tolerance must be positive");
    }
    output.refuseOverwrite(out);
    Path folder = out.toAbsolutePath().getParent();
    if (!java.nio.file.Files.isDirectory(folder)) {
      throw new CliException(Outcome.IO, "no such folder for --out: " + folder);
    }
    SegmentStore segmentStore = Stores.open(store, false);
    // the one verification path: the roster against this device's pins; envelopes checked by it
    VerifiedStore view = trust.open(segmentStore, store, identity, log, spec.commandLine().getErr());
    if (view.roster().isEmpty()) {
      throw new CliException(Outcome.INTEGRITY, "the store holds no roster: pair a camera and enrol devices (device add) before watching");
    }
    Roster roster = view.roster().get();
    ViewerIdentity me = ViewerIdentity.readFrom(identity, Secrets.protection(null));
    if (roster.member(me.publicKey()).isEmpty()) {
      throw new CliException(Outcome.NO_KEY, "this identity (" + me.fingerprint()
          + ") is not in roster version " + roster.version() + ": the camera does not wrap keys for it");
    }
    LiveViewer.Stats st;
    int written;
    String problem;
    try (LiveViewer viewer = LiveViewer.builder(streamId, me, view).frameTolerance(frameTolerance).build();
        LiveMp4Writer mp4 = new LiveMp4Writer(out);
        LiveSubscriber subscriber = relayArgs.subscriber()) {
      log.printf("watching %s for %s%s%n", streamId, Durations.format(duration),
          frames == null ? "" : " or " + Table.count(frames, "frame"));
      log.flush();
      st = viewer.watch(frames == null ? subscriber : new UntilWritten(subscriber, mp4, frames), duration, mp4::write);
      problem = viewer.lastProblem();
      if (st.framesOut() == 0) {
        throw noVideo(st, problem);
      }
      written = mp4.finish();
    }
    log.printf("wrote %d frames to %s; refused %d replayed, %d stale, %d forged or damaged, %d malformed frames and %d key envelopes;"
            + " %d frames before the first keyframe, %d after gaps, %d without a key%n",
        written, out, st.framesReplayed(), st.framesStale(), st.framesTampered(), st.framesMalformed(), st.envelopesRefused(),
        st.framesBeforeKeyframe(), st.framesAfterGap(), st.framesNoKey());
    return 0;
  }

  private CliException noVideo(LiveViewer.Stats st, String problem) {
    if (st.envelopesNotForUs() > 0 && st.envelopesAccepted() == 0) {
      return new CliException(Outcome.NO_KEY, "no key: " + problem);
    }
    if (st.refused() > 0) {
      return new CliException(Outcome.INTEGRITY, "nothing verified: " + problem);
    }
    return new CliException(Outcome.IO, "no video from " + relayArgs.where() + " for stream " + relayArgs.stream + " within "
        + Durations.format(duration) + " (is the camera live?)");
  }

  /**
   * {@code subscriber}, ended (as if the transport ended the stream) once {@code mp4} holds
   * {@code limit} frames; closing it is left to the caller, who owns {@code subscriber}.
   */
  private static final class UntilWritten implements LiveSubscriber {
    private final LiveSubscriber in;
    private final LiveMp4Writer mp4;
    private final int limit;

    UntilWritten(LiveSubscriber in, LiveMp4Writer mp4, int limit) {
      this.in = in;
      this.mp4 = mp4;
      this.limit = limit;
    }

    @Override
    public dev.obscura.core.LiveMessage next(Duration timeout) throws java.io.IOException {
      return mp4.frames() >= limit ? null : in.next(timeout);
    }

    @Override
    public void close() {
      // the watch's try-with-resources closes the subscriber itself
    }
  }
}
