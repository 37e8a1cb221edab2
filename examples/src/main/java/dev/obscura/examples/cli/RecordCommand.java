package dev.obscura.examples.cli;

import dev.obscura.codec.Segmenters;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.segment.SealedSegmentInfo;
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
  @Option(names = "--store", required = true, paramLabel = "DIR", description = "Store folder (created if missing).")
  Path store;

  @Option(names = "--recipient", required = true, paramLabel = "PUBFILE", description = "Viewer public key (viewer.pub) that may watch.")
  Path recipient;

  @Option(names = "--input", paramLabel = "URL|FILE", description = "A file, rtsp:// URL or /dev/videoN device. H.264 is stored without re-encoding.")
  String input;

  @Option(names = "--duration", defaultValue = "10s", converter = Durations.class, description = "How much to record (default: ${DEFAULT-VALUE}). With --input, at most this much.")
  Duration duration;

  @Option(names = "--segment-seconds", defaultValue = "2", paramLabel = "S", description = "Target segment length in seconds (default: ${DEFAULT-VALUE}).")
  double segmentSeconds;

  @Option(names = "--width", defaultValue = "1280", description = "Frame width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "720", description = "Frame height (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--fps", defaultValue = "30", description = "Frames per second (default: ${DEFAULT-VALUE}).")
  int fps;

  @Option(names = "--stream", defaultValue = "camera", description = "Stream name (default: ${DEFAULT-VALUE}).")
  String stream;

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

  Result record(PrintWriter out) throws Exception {
    if (segmentSeconds <= 0 || segmentSeconds > 600) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "--segment-seconds must be in (0, 600]");
    }
    VideoSettings settings;
    try {
      settings = VideoSettings.builder().width(width).height(height).fps(fps).build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "invalid video settings: " + e.getMessage());
    }
    StreamId streamId = Stores.parseStream(stream);
    ViewerPublicKey viewer = ViewerPublicKey.readFrom(recipient);
    SegmentStore segmentStore = Stores.open(store, true);
    Duration segment = Duration.ofMillis(Math.round(segmentSeconds * 1000));
    Clock clock = Clock.systemUTC();
    long frames = 0;
    try (SegmentSource source = input == null
            ? Segmenters.synthetic(settings, duration, segment, clock)
            : Segmenters.open(input, duration, segment, null, clock);
        Recorder recorder = Recorder.builder()
            .store(segmentStore)
            .stream(streamId)
            .recipients(List.of(viewer))
            .clock(clock)
            // TEMPORARY camera key until `record --camera` (roster branch): see TemporaryKeyShims
            .chainSigner(TemporaryKeyShims.newCameraKey(segmentStore, streamId), 30)
            .build()) {
      for (MediaSegment s; (s = source.next()) != null; ) {
        SealedSegmentInfo info = recorder.seal(s);
        frames += s.frameCount();
        out.printf("sealed %s: %d frames, %d -> %d bytes%n",
            info.objectName(), s.frameCount(), info.plaintextSizeBytes(), info.sealedSizeBytes());
        out.flush();
      }
      return new Result(frames, recorder.segments(), recorder.plaintextBytes(),
          recorder.sealedBytes(), recorder.envelopeBytes());
    }
  }
}
