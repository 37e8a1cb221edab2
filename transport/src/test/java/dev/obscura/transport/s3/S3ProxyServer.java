package dev.obscura.transport.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * A real S3 server for tests: s3proxy with its filesystem backend, run as a child process
 * ({@code java -jar s3proxy.jar}) on a free 127.0.0.1 port. The jar is copied into
 * {@code target/s3proxy/} by the build (maven-dependency-plugin) and found through the
 * {@code obscura.s3proxy.jar} system property.
 *
 * <p>{@link #kill()} sends SIGKILL; {@link #start()} starts it again on the same port and data
 * directory, so fault tests can take the server away and bring it back with its data.
 *
 * <p><b>Not atomic like S3:</b> this backend (s3proxy 4's {@code AbstractNio2BlobStore}) writes a
 * PUT of key {@code K} to a sibling file {@code K-UUID} and renames it to {@code K} when the body
 * is in. LIST walks the folders, so while an upload is in flight it shows {@code K-UUID} (a valid
 * key, with the bytes received so far), and after {@link #kill()} cuts an upload off, that file
 * stays and is listed as an object from then on. The store does not hide them (they are valid
 * object names, and a real bucket can hold such foreign objects too); readers must not take them
 * for Obscura objects (see {@code ForeignObjectNamesTest} in the crypto module).
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String IDENTITY = "obscura-test-identity";
  /** A test-only secret: never printed by the store, which the tests check. */
  public static final String CREDENTIAL = "obscura-test-secret-Zq7vX2pL9";
  public static final String BUCKET = "obscura-test";

  private final Path dataDir;
  private final Path properties;
  private final int port;
  private final boolean fullJit;
  private Process process;

  /** A server tuned to start fast (C1 only): right for tests. */
  public S3ProxyServer(Path workDir) throws IOException {
    this(workDir, false);
  }

  /**
   * @param fullJit run the server with the JDK's full JIT (slower start, faster steady state):
   *     for measurements
   */
  public S3ProxyServer(Path workDir, boolean fullJit) throws IOException {
    this.fullJit = fullJit;
    this.dataDir = workDir.resolve("s3data");
    Files.createDirectories(dataDir.resolve(BUCKET)); // a bucket is a directory in this backend
    this.port = freePort();
    this.properties = workDir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dataDir,
                "")),
        StandardCharsets.UTF_8);
  }

  public static Path jar() {
    String p = System.getProperty("obscura.s3proxy.jar", "target/s3proxy/s3proxy.jar");
    Path jar = Path.of(p);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("s3proxy jar not found at " + jar + " (run the build's test-compile phase)");
    }
    return jar;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** The server's output, kept in target/s3proxy/ after the test's temporary folder is gone. */
  public Path logFile() {
    return jar().resolveSibling("s3proxy-" + port + ".log");
  }

  public int port() {
    return port;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public Path dataDir() {
    return dataDir;
  }

  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
  }

  /** A store builder for this server's bucket, with short timeouts and fast retries. */
  public S3SegmentStore.Builder storeBuilder(String prefix) {
    return S3SegmentStore.builder()
        .endpoint(endpoint())
        .bucket(BUCKET)
        .prefix(prefix)
        .credentials(credentials())
        .pathStyleAccess(true)
        .connectTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(10))
        .retryStrategy(S3SegmentStore.retryStrategy(4, BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofMillis(500))));
  }

  /** Starts the server and waits until it answers HTTP (a few seconds at most). */
  public synchronized void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xshare:auto",
            fullJit ? "-XX:+TieredCompilation" : "-XX:TieredStopAtLevel=1",
            fullJit ? "-Xmx1g" : "-Xmx256m",
            "-jar",
            jar().toString(),
            "--properties",
            properties.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    process = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // hang guard only
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("s3proxy exited with " + process.exitValue() + "; see " + logFile());
      }
      if (answers()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("s3proxy did not answer on port " + port);
      }
      Thread.sleep(100);
    }
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(endpoint() + "/").openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode(); // 403 without a signature: it is up
      c.disconnect();
      return code > 0;
    } catch (IOException e) {
      return false;
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and waits until the process is gone. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
