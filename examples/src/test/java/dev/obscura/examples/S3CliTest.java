package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import dev.obscura.examples.cli.ObscuraCli;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.testing.SecretScan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line tool against a real S3 server (s3proxy, started here as a child process on
 * 127.0.0.1): keygen, record through the spool, inspect and export with {@code --store s3://...}.
 * Credentials reach the in-process tool through the AWS SDK's standard system properties
 * ({@code aws.accessKeyId}/{@code aws.secretAccessKey}), as they would through the environment.
 */
class S3CliTest {
  @TempDir static Path dir;
  static S3ProxyServer server;
  static Path keys;
  static String endpoint;
  static CliS3Server s3;

  static final String[] SMALL = {"--width", "320", "--height", "240", "--fps", "15"};

  @BeforeAll
  static void startServer() throws Exception {
    s3 = CliS3Server.start(dir.resolve("s3"));
    server = s3.server;
    endpoint = s3.endpoint;
    keys = dir.resolve("keys");
    Cli keygen = Cli.run("keygen", "--out", keys.toString());
    assertEquals(0, keygen.exitCode(), keygen::toString);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  static String[] record(String location, Path spool, String... more) {
    List<String> a = new ArrayList<>(List.of("record", "--store", location, "--endpoint", endpoint,
        "--recipient", keys.resolve("viewer.pub").toString(), "--spool", spool.toString(),
        "--duration", "2s", "--segment-seconds", "1"));
    a.addAll(List.of(SMALL));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  static void assertNoSecret(Cli c) {
    // neither the secret key nor any 8 characters of it, in any encoding, is ever printed
    assertEquals(List.of(), new SecretScan().putText("S3 secret key", S3ProxyServer.CREDENTIAL).leaks(c.out() + "\n" + c.err()));
  }

  static long spooledFiles(Path spool) throws IOException {
    try (Stream<Path> files = Files.walk(spool)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".obj")).count();
    }
  }

  /**
   * Copies what the recorder prints into {@code out} and kills the server once the first segment
   * is sealed (the recorder printed it); {@code killed[0]} says whether it did.
   */
  static Writer killServerOnFirstSeal(StringWriter out, boolean[] killed) {
    return new Writer() {
      @Override
      public void write(char[] b, int off, int len) {
        out.write(b, off, len);
        if (!killed[0] && out.toString().contains("sealed ")) {
          killed[0] = true;
          try {
            server.kill();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Test
  void recordInspectExportThroughS3() throws Exception {
    String location = "s3://" + S3ProxyServer.BUCKET + "/cli/porch";
    Path spool = dir.resolve("spool-porch");
    Cli rec = Cli.run(record(location, spool));
    assertEquals(0, rec.exitCode(), rec::toString);
    assertTrue(rec.out().contains("recorded 30 frames in 2 segments"), rec::toString);
    assertTrue(rec.out().contains("spooling to " + spool), rec::toString);
    assertTrue(rec.out().contains("to " + location + "; nothing pending"), rec::toString);
    assertEquals(0, spooledFiles(spool), "everything uploaded and removed from the spool");
    assertNoSecret(rec);
    // what the server holds: ciphertext objects under the prefix
    Path onServer = server.dataDir().resolve(S3ProxyServer.BUCKET).resolve("cli/porch");
    assertTrue(Files.isDirectory(onServer), "objects are under the prefix on the server");

    Cli inspect = Cli.run("inspect", "--store", location, "--endpoint", endpoint);
    assertEquals(0, inspect.exitCode(), inspect::toString);
    assertTrue(inspect.out().contains("camera/segments/"), inspect::toString);
    assertTrue(inspect.out().lines().filter(l -> l.contains(" segment ")).count() == 2, inspect::toString);
    assertNoSecret(inspect);

    Path mp4 = dir.resolve("porch.mp4");
    Cli export = Cli.run("export", "--store", location + "/", "--endpoint", endpoint,
        "--identity", keys.resolve("viewer.key").toString(), "--out", mp4.toString());
    assertEquals(0, export.exitCode(), export::toString);
    assertEquals(30, Mp4Probe.probe(mp4).frames());
    assertEquals(LongStream.range(0, 30).boxed().toList(), CliEndToEndTest.stamps(mp4));
    assertNoSecret(export);

    // sharing reads the S3 store and appends to its audit log there
    Path grant = dir.resolve("porch.grant");
    Cli share = Cli.run("share", "--store", location, "--endpoint", endpoint,
        "--identity", keys.resolve("viewer.key").toString(), "--from", "+0", "--to", "+1",
        "--recipient", keys.resolve("viewer.pub").toString(), "--reason", "s3 test", "--out", grant.toString());
    assertEquals(0, share.exitCode(), share::toString);
    assertTrue(Files.size(grant) > 0);
    Cli audit = Cli.run("audit", "--store", location, "--endpoint", endpoint);
    assertEquals(0, audit.exitCode(), audit::toString);
    assertTrue(audit.out().contains("verified 1 entry "), audit::toString);
  }

  /** The server goes away during a recording: what is left uploads on the next run. */
  @Test
  void pendingSegmentsUploadOnTheNextRun() throws Exception {
    String location = "s3://" + S3ProxyServer.BUCKET + "/cli/garage";
    Path spool = dir.resolve("spool-garage");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    boolean[] killed = {false};
    Writer killer = killServerOnFirstSeal(out, killed);
    int code;
    try {
      code = ObscuraCli.run(record(location, spool, "--upload-wait", "1s"), new PrintWriter(killer, true),
          new PrintWriter(err, true));
    } finally {
      if (!server.isRunning()) {
        server.start();
      }
    }
    String first = "exit " + code + "\n" + out + "\n" + err;
    assertTrue(killed[0], first);
    assertEquals(0, code, first);
    assertTrue(out.toString().contains("still pending in " + spool), first);
    assertTrue(out.toString().contains("they upload on the next record with this spool"), first);
    assertTrue(spooledFiles(spool) > 0, first);

    Cli again = Cli.run(record(location, spool));
    assertEquals(0, again.exitCode(), again::toString);
    assertTrue(again.out().contains("left by an earlier run are uploaded first"), again::toString);
    assertTrue(again.out().contains("nothing pending"), again::toString);
    assertEquals(0, spooledFiles(spool));

    Path mp4 = dir.resolve("garage.mp4");
    Cli export = Cli.run("export", "--store", location, "--endpoint", endpoint,
        "--identity", keys.resolve("viewer.key").toString(), "--out", mp4.toString());
    assertEquals(0, export.exitCode(), export::toString);
    assertEquals(60, Mp4Probe.probe(mp4).frames(), "both recordings, nothing lost in the outage");
  }

  /**
   * A paired camera records through the spool while the S3 server is stopped, from the start of
   * a recording and from the middle of one, with the roster it pinned; everything uploads when the
   * server returns and exports whole.
   */
  @Test
  void aPairedCameraRecordsThroughAnOutage() throws Exception {
    String location = "s3://" + S3ProxyServer.BUCKET + "/cli/outage";
    Path spool = dir.resolve("spool-outage");
    Path cam = dir.resolve("cam-outage");
    Cli init = Cli.run("camera", "init", "--camera", cam.toString(), "--store", location, "--endpoint", endpoint);
    assertEquals(0, init.exitCode(), init::toString);
    java.util.regex.Matcher code = java.util.regex.Pattern.compile("pairing code: (\\S+)").matcher(init.out());
    assertTrue(code.find(), init::toString);
    Cli add = Cli.run("device", "add", "--store", location, "--endpoint", endpoint, "--identity",
        keys.resolve("viewer.key").toString(), "--device", keys.resolve("viewer.pub").toString(), "--pair", code.group(1));
    assertEquals(0, add.exitCode(), add::toString);
    String[] camera = {"record", "--store", location, "--endpoint", endpoint, "--camera", cam.toString(),
        "--spool", spool.toString(), "--segment-seconds", "1"};
    Cli paired = Cli.run(CliEndToEndTest.concat(CliEndToEndTest.concat(camera, SMALL), new String[] {"--duration", "1s", "--upload-wait", "1s"}));
    assertEquals(0, paired.exitCode(), paired::toString); // pairs while the store is there
    int frames = 15;

    // from the start: the server is down before the recording begins
    server.kill();
    try {
      Cli down = Cli.run(CliEndToEndTest.concat(CliEndToEndTest.concat(camera, SMALL), new String[] {"--duration", "2s", "--upload-wait", "1s"}));
      assertEquals(0, down.exitCode(), down::toString);
      assertTrue(down.out().contains("recorded 30 frames"), down::toString);
      assertTrue(down.out().contains("still pending in " + spool), down::toString);
      frames += 30;
    } finally {
      server.start();
    }

    // mid-recording: the server goes away once the first segment is sealed
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    boolean[] killed = {false};
    Writer killer = killServerOnFirstSeal(out, killed);
    int exit;
    try {
      exit = ObscuraCli.run(CliEndToEndTest.concat(CliEndToEndTest.concat(camera, SMALL), new String[] {"--duration", "3s", "--upload-wait", "1s"}),
          new PrintWriter(killer, true), new PrintWriter(err, true));
    } finally {
      if (!server.isRunning()) {
        server.start();
      }
    }
    assertTrue(killed[0], out::toString);
    assertEquals(0, exit, () -> out + "\n" + err);
    frames += 45;

    // the server is back: the next recording uploads what is pending first, then everything exports
    Cli back = Cli.run(CliEndToEndTest.concat(CliEndToEndTest.concat(camera, SMALL), new String[] {"--duration", "1s",
        "--upload-wait", "30s"}));
    assertEquals(0, back.exitCode(), back::toString);
    assertTrue(back.out().contains("nothing pending"), back::toString);
    frames += 15;
    Path mp4 = dir.resolve("outage.mp4");
    Cli export = Cli.run("export", "--store", location, "--endpoint", endpoint,
        "--identity", keys.resolve("viewer.key").toString(), "--out", mp4.toString());
    assertEquals(0, export.exitCode(), export::toString);
    assertEquals(frames, Mp4Probe.probe(mp4).frames(), "every recording, nothing lost in either outage");
  }

  @Test
  void endpointWithAFolderIsAUsageError() {
    Cli c = Cli.run("inspect", "--store", dir.resolve("folder").toString(), "--endpoint", endpoint);
    assertEquals(ObscuraCli.EXIT_USAGE, c.exitCode(), c::toString);
    assertTrue(c.oneLineError().contains("--endpoint is only for s3:// stores"), c::toString);
  }

  @Test
  void spoolWithAFolderIsAUsageError() {
    Cli c = Cli.run("record", "--store", dir.resolve("folder").toString(), "--spool", dir.resolve("sp").toString(),
        "--recipient", keys.resolve("viewer.pub").toString(), "--duration", "1s");
    assertEquals(ObscuraCli.EXIT_USAGE, c.exitCode(), c::toString);
    assertTrue(c.oneLineError().contains("--spool is only for s3:// stores"), c::toString);
    assertFalse(Files.exists(dir.resolve("folder")), "nothing was created");
  }

  @Test
  void otherSchemesAndBadBucketsAreUsageErrors() {
    Cli gs = Cli.run("inspect", "--store", "gs://bucket/prefix");
    assertEquals(ObscuraCli.EXIT_USAGE, gs.exitCode(), gs::toString);
    Cli bucket = Cli.run("inspect", "--store", "s3://Not_A_Bucket/x", "--endpoint", endpoint);
    assertEquals(ObscuraCli.EXIT_USAGE, bucket.exitCode(), bucket::toString);
    assertTrue(bucket.oneLineError().contains("bucket"), bucket::toString);
  }

  /** A bucket that does not exist is named as such, with what to do, in one line. */
  @Test
  void aMissingBucketIsNamed() {
    Cli c = Cli.run("inspect", "--store", "s3://no-such-bucket-here/cli", "--endpoint", endpoint);
    assertEquals(ObscuraCli.EXIT_FAILURE, c.exitCode(), c::toString);
    String e = c.oneLineError();
    assertTrue(e.contains("the bucket no-such-bucket-here does not exist") && e.contains("create it"), c::toString);
    Cli rec = Cli.run(record("s3://no-such-bucket-here/cli", dir.resolve("spool-nobucket")));
    assertEquals(ObscuraCli.EXIT_FAILURE, rec.exitCode(), rec::toString);
    assertTrue(rec.err().contains("the bucket no-such-bucket-here does not exist"), rec::toString);
  }

  /** No --endpoint, no AWS_ENDPOINT_URL, no region: refused before anything is written, not sent to AWS. */
  @Test
  void noServiceAndNoRegionIsOneLine() throws Exception {
    Path spool = dir.resolve("spool-noservice");
    Cli c = scrubbedChild(java.util.Map.of(), "record", "--store", "s3://" + S3ProxyServer.BUCKET + "/cli/noservice",
        "--recipient", keys.resolve("viewer.pub").toString(), "--spool", spool.toString(), "--duration", "1s");
    assertEquals(ObscuraCli.EXIT_USAGE, c.exitCode(), c::toString);
    String e = c.oneLineError();
    assertTrue(e.contains("--endpoint") && e.contains("AWS_REGION"), e);
    assertFalse(Files.exists(spool), "nothing was written");
    assertFalse(Files.exists(server.dataDir().resolve(S3ProxyServer.BUCKET).resolve("cli/noservice")));
  }

  @Test
  void deviceListReadsAnS3Store() {
    Cli c = Cli.run("device", "list", "--store", "s3://" + S3ProxyServer.BUCKET + "/cli/empty", "--endpoint", endpoint);
    assertEquals(ObscuraCli.EXIT_FAILURE, c.exitCode(), c::toString);
    assertTrue(c.oneLineError().contains("the store has no roster"), c::toString);
  }

  /** No key: a prompt one-line error, and no probe of a cloud metadata service. */
  @Test
  void missingCredentialsAreOneLine() throws Exception {
    Cli c = scrubbedChild(java.util.Map.of(), "inspect", "--store", "s3://" + S3ProxyServer.BUCKET + "/cli/porch",
        "--endpoint", endpoint);
    assertEquals(ObscuraCli.EXIT_FAILURE, c.exitCode(), c::toString);
    assertEquals("obscura: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", c.oneLineError());
  }

  /** The scrubbed child sees credentials set through its environment, and only those (the control). */
  @Test
  void scrubbedChildUsesTheCredentialsTheTestSets() throws Exception {
    Cli c = scrubbedChild(java.util.Map.of("AWS_ACCESS_KEY_ID", System.getProperty("aws.accessKeyId"),
        "AWS_SECRET_ACCESS_KEY", System.getProperty("aws.secretAccessKey")),
        "inspect", "--store", "s3://" + S3ProxyServer.BUCKET + "/cli/scrubbed", "--endpoint", endpoint);
    assertFalse(c.err().contains("no S3 credentials"), c::toString);
    assertFalse(c.err().contains("403"), c::toString);
  }

  /** Environment variables a child must not inherit: any AWS_* setting and other clouds' credentials. */
  static boolean credentialVariable(String name) {
    String n = name.toUpperCase(java.util.Locale.ROOT);
    return n.startsWith("AWS_") || n.startsWith("AMAZON_") || n.startsWith("AZURE_") || n.startsWith("GOOGLE_")
        || n.startsWith("GCLOUD_") || n.startsWith("CLOUDSDK_") || n.startsWith("MINIO_") || n.startsWith("S3_")
        || n.startsWith("OBSCURA_") || n.contains("TOKEN") || n.contains("SECRET") || n.contains("PASSWORD")
        || n.contains("CREDENTIAL") || n.contains("ACCESS_KEY");
  }

  /**
   * Runs the tool in a child JVM whose environment holds none of this machine's credential or
   * AWS variables, whose home is an empty folder (no {@code ~/.aws}), with no {@code aws.*}
   * system properties, and with only {@code env} set on top.
   */
  static Cli scrubbedChild(java.util.Map<String, String> env, String... args) throws Exception {
    Path home = Files.createDirectories(dir.resolve("scrubbed-home"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
        "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), "dev.obscura.examples.cli.ObscuraCli"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "child-", ".out");
    Path err = Files.createTempFile(dir, "child-", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(S3CliTest::credentialVariable);
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), () -> "the child ended: " + cmd);
      return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void wrongSecretIsOneLineWithoutTheSecret() {
    String wrong = "wrong-secret-Hk3Jd8s";
    String saved = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.secretAccessKey", wrong);
    try {
      Cli c = Cli.run("inspect", "--store", "s3://" + S3ProxyServer.BUCKET + "/cli/porch", "--endpoint", endpoint);
      assertEquals(ObscuraCli.EXIT_FAILURE, c.exitCode(), c::toString);
      String e = c.oneLineError();
      assertTrue(e.contains("403"), c::toString);
      assertFalse(e.contains(wrong), c::toString);
    } finally {
      System.setProperty("aws.secretAccessKey", saved);
    }
  }
}
