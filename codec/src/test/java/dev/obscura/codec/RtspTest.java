package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MediaSegment;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTSP passthrough: the segmenter listens ({@code rtsp_flags=listen}) and the FFmpeg binary
 * bundled with the natives pushes a short H.264 file to it from a separate process (a listener
 * and a pusher in one JVM would deadlock on a shared lock).
 */
class RtspTest {
  static {
    TestMedia.quiet();
  }

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void rtspPushIsSegmentedWithoutReencoding() throws Exception {
    Path src = dir.resolve("cam.mp4");
    TestMedia.writeFile(src, VideoSettings.QVGA_240P15, 30, 15, "libopenh264");
    List<TestMedia.Packet> source = TestMedia.packets(src);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "rtsp://127.0.0.1:" + port + "/live";
    String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      Future<List<MediaSegment>> f = ex.submit(() -> TestMedia.drain(Segmenters.open(url,
          Map.of("rtsp_flags", "listen", "listen_timeout", "20"), null, Duration.ofSeconds(1), null, TestMedia.CLOCK)));
      int exit = -1;
      for (int attempt = 0; attempt < 50 && exit != 0 && !f.isDone(); attempt++) {
        Thread.sleep(200); // until the listener is up
        ProcessBuilder pb = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-re", "-i",
            src.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // the binary needs the bundled libraries next to it (libva etc.)
        pb.environment().put("LD_LIBRARY_PATH", Path.of(ffmpeg).getParent().toString());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        exit = p.exitValue();
        if (exit == 127) {
          break; // cannot run at all
        }
      }
      assertEquals(0, exit, "pusher exit status");
      List<MediaSegment> segs = f.get(30, TimeUnit.SECONDS);
      assertTrue(segs.size() >= 1, segs.toString());
      assertEquals(source.size(), segs.stream().mapToInt(MediaSegment::frameCount).sum(), segs.toString());
      PassthroughTest.assertPassthrough(source, segs);
    } finally {
      ex.shutdownNow();
    }
  }
}
