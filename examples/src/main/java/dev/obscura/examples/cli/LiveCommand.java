package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.codec.FrameSources;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.FrameSource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.core.LivePublisher;
import dev.obscura.crypto.live.LiveCamera;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "live",
    description = {
      "Publish a camera live through a relay or a NATS JetStream cluster: every frame is sealed on the camera (SFrame) before it leaves.",
      "Each epoch key is wrapped to the devices of the store's roster, as for record, in an envelope signed by the camera,",
      "kept in the store and sent before the epoch's first frame. Without --input it publishes the synthetic camera."
    })
final class LiveCommand implements Callable<Integer> {
  @CommandLine.Mixin RelayArgs relayArgs;

  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--camera", required = true, paramLabel = "DIR", description = "Camera folder: its key, pinned roster, epoch record and frame counter (created if missing).")
  Path camera;

  @Option(names = "--input", paramLabel = "URL|FILE", description = "A file, rtsp:// URL or /dev/videoN device. H.264 is sent without re-encoding.")
  String input;

  @Option(names = "--duration", defaultValue = "10s", converter = Durations.class, description = "How long to publish (default: ${DEFAULT-VALUE}). With --input, at most this much.")
  Duration duration;

  @Option(names = "--width", defaultValue = "1280", description = "Synthetic camera width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "720", description = "Synthetic camera height (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--fps", defaultValue = "30", description = "Synthetic camera frames per second (default: ${DEFAULT-VALUE}).")
  int fps;

  @Option(names = "--max-roster-age", converter = Durations.class, paramLabel = "DURATION", description =
      "Wrap keys only for owners (and the recovery key) while the newest roster an owner signed is older than this (default: no bound).")
  Duration maxRosterAge;

  @Option(names = "--padding", defaultValue = "none", converter = Paddings.class, paramLabel = "POLICY", description = Paddings.HELP
      + " cbr and interval pace frames to the schedule, filling it with cover frames.")
  dev.obscura.crypto.padding.PaddingPolicy padding = dev.obscura.crypto.padding.PaddingPolicies.none(); // also when built without picocli (demo)

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StreamId streamId = relayArgs.streamId();
    if (duration.isNegative() || duration.isZero()) {
      throw new CliException(Outcome.USAGE, "--duration must be positive");
    }
    if (maxRosterAge != null && (maxRosterAge.isNegative() || maxRosterAge.isZero())) {
      throw new CliException(Outcome.USAGE, "--max-roster-age must be positive");
    }
    VideoSettings settings = VideoOptions.settings(width, height, fps);
    SegmentStore segmentStore = Stores.open(store, false);
    CameraState state = CameraState.open(camera, Secrets.protection(null), EntropySource.system());
    if (state.created()) {
      out.printf("created the camera identity in %s%ncamera fingerprint: %s%n", camera, state.identity().fingerprint());
    }
    Duration keyframes = Duration.ofSeconds(1); // a viewer joins at the next keyframe
    LiveCamera.Listener listener = new LiveCamera.Listener() {
      @Override
      public void epochStarted(EpochId epoch, int recipients, byte[] envelope) {
        out.printf("live %s: %s, key wrapped for %s%n", streamId, epoch, Table.count(recipients, "device"));
        out.flush();
      }
    };
    LiveCamera.Stats st;
    try (LivePublisher publisher = relayArgs.publisher();
        FrameSource source = input == null
            ? FrameSources.synthetic(settings, duration, keyframes, true)
            : FrameSources.open(input, Map.of(), duration, keyframes, null);
        LiveCamera live = build(LiveCamera.builder().store(segmentStore).stream(streamId).camera(state)
            .publisher(publisher).listener(listener).maxRosterAge(maxRosterAge == null ? Duration.ZERO : maxRosterAge)
            .padding(padding))) {
      st = live.run(source);
    } catch (LiveCamera.NoRosterException e) {
      throw new CliException(Outcome.CONFLICT, e.getMessage());
    }
    // a camera that is not paired, or whose roster retired it, fails with a typed SDK error
    out.printf("published %d frames (%d keyframes) in %s: %d bytes of video sealed into %d bytes (+%d bytes of key envelopes)%n",
        st.frames(), st.keyframes(), Table.count(st.epochs(), "epoch"), st.plaintextBytes(), st.sealedBytes(), st.envelopeBytes());
    return 0;
  }

  /** Builds the camera; a padding policy the live path cannot pace is a usage error, not a crash. */
  private LiveCamera build(LiveCamera.Builder builder) throws Exception {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      // the builder's only argument checks at build time are the pacing ones (LiveCamera.Builder#padding)
      throw new CliException(Outcome.USAGE, "--padding " + padding.describe() + ": " + e.getMessage());
    }
  }
}
