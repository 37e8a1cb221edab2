package dev.obscura.examples.spool;

import dev.obscura.codec.Segmenters;
import dev.obscura.codec.StoppableSegmentSource;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.transport.s3.S3SegmentStore;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Child process of {@link RecordThroughSpoolKillTest}: records the synthetic camera through a
 * spool into s3proxy until killed, printing each segment's sequence number once its seal (and so
 * its spool commit) returned. Arguments: spool directory, s3proxy port, viewer public key file.
 */
public final class RecordThroughSpoolMain {
  static final StreamId STREAM = StreamId.of("porch");

  private RecordThroughSpoolMain() {}

  public static void main(String[] args) throws Exception {
    Path spoolDir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    ViewerPublicKey viewer = ViewerPublicKey.readFrom(Path.of(args[2]));
    S3SegmentStore s3 = RecordThroughSpoolKillTest.remote(port);
    SpoolingSegmentStore spool = SpoolingSegmentStore.builder(spoolDir, s3)
        .backoff(BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(20), Duration.ofMillis(200))).build();
    PrintStream out = new PrintStream(System.out, false, "US-ASCII");
    try (Recorder recorder = Recorder.builder().store(spool).stream(STREAM)
            .recipients(List.of(viewer)).segmentsPerEpoch(4).build();
        StoppableSegmentSource camera = Segmenters.synthetic(VideoSettings.QVGA_240P15,
            Duration.ofMinutes(10), Duration.ofSeconds(1), Clock.systemUTC())) {
      out.println("READY");
      out.flush();
      for (MediaSegment s; (s = camera.next()) != null; ) {
        SealedSegmentInfo info = recorder.seal(s);
        out.println(info.header().sequence());
        out.flush();
      }
    }
  }
}
