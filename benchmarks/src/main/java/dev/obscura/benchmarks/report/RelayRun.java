package dev.obscura.benchmarks.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One run of {@code dev.obscura.benchmarks.RelayBenchmark} on one JDK, as the JSON file it
 * writes with {@code --json FILE} and the report reads ({@link #KIND} tells it from JMH's).
 *
 * @param kind always {@link #KIND}
 * @param jdk the JDK's version string
 * @param cores the processors the JVM saw
 * @param frameBytes the frame size
 * @param seconds seconds per measured run
 * @param latency the paced runs, one per viewer count
 * @param throughput the unpaced runs, one per viewer count
 */
public record RelayRun(String kind, String jdk, int cores, int frameBytes, int seconds,
    List<Latency> latency, List<Throughput> throughput) {
  /** The {@code kind} of a relay result file. */
  public static final String KIND = "obscura-relay-benchmark";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * A paced run: a camera at 30 fps, every viewer timing each frame from send to arrival.
   *
   * @param viewers viewers subscribed
   * @param samples latencies measured (all viewers, after the warm-up frames)
   * @param p50Ms median added latency, ms
   * @param p99Ms 99th percentile, ms
   * @param maxMs largest, ms
   * @param skippedFrames frames the relay skipped for a viewer that fell behind
   * @param cpuCores the JVM's CPU time over the wall time of the run (relay, camera and viewers)
   * @param viewersPerCore viewers / cpuCores
   */
  public record Latency(int viewers, int samples, double p50Ms, double p99Ms, double maxMs,
      long skippedFrames, double cpuCores, double viewersPerCore) {}

  /**
   * An unpaced run: the camera sends as fast as the relay takes frames.
   *
   * @param viewers viewers subscribed
   * @param framesInPerSecond frames the relay received per second
   * @param mbInPerSecond MB (10^6 B) the relay received per second
   * @param deliveredMbPerSecond MB per second delivered to all viewers together
   * @param skippedFrames frames skipped for viewers that fell behind
   * @param skipEvents times a viewer was skipped ahead to a keyframe
   * @param cpuCores the JVM's CPU time over the wall time of the run
   * @param viewerStreamsPerCore 30 fps viewer streams delivered per busy core
   */
  public record Throughput(int viewers, double framesInPerSecond, double mbInPerSecond,
      double deliveredMbPerSecond, long skippedFrames, long skipEvents, double cpuCores,
      double viewerStreamsPerCore) {}

  /**
   * Whether a parsed JSON file is a relay result (and not JMH's array of results).
   *
   * @param json the file's content
   * @return true for a relay result
   */
  public static boolean isRelayRun(JsonElement json) {
    if (!json.isJsonObject()) {
      return false;
    }
    JsonObject o = json.getAsJsonObject();
    return o.has("kind") && KIND.equals(o.get("kind").getAsString());
  }

  /**
   * Reads a relay result.
   *
   * @param json the file's parsed content ({@link #isRelayRun})
   * @return the run
   */
  public static RelayRun of(JsonElement json) {
    return GSON.fromJson(json, RelayRun.class);
  }

  /**
   * Reads a relay result file.
   *
   * @param file the file
   * @return the run
   * @throws IOException if it cannot be read
   */
  public static RelayRun read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return GSON.fromJson(r, RelayRun.class);
    }
  }

  /**
   * Writes this run as JSON.
   *
   * @param file where
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      GSON.toJson(this, w);
    }
  }
}
