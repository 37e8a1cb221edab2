package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.examples.cli.ObscuraCli;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.s3.S3SegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code obscura prune} end to end on both stores: a paired camera records several epochs (two
 * runs of two epochs each), the owner prunes, {@code export} of what remains verifies and plays,
 * what was pruned is gone from the store, and {@code audit} shows the prune. On the filesystem
 * store the provider then rolls the audit log back, and {@code export} refuses the stream.
 * The S3 run uses a real s3proxy child process on 127.0.0.1.
 */
class PruneCliTest {
  @TempDir static Path dir;
  static S3ProxyServer server;
  static String endpoint;
  static CliS3Server s3;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = CliS3Server.start(dir.resolve("s3"));
    server = s3.server;
    endpoint = s3.endpoint;
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  static Cli ok(String... args) {
    Cli r = Cli.run(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + "\n" + r);
    return r;
  }

  /** {@code --store LOCATION} and, for S3, {@code --endpoint}. */
  static List<String> at(String location) {
    return location.startsWith("s3://") ? List.of("--store", location, "--endpoint", endpoint)
        : List.of("--store", location);
  }

  static Cli on(String location, String command, String... more) {
    List<String> a = new ArrayList<>(List.of(command.split(" ")));
    a.addAll(at(location));
    a.addAll(List.of(more));
    return ok(a.toArray(String[]::new));
  }

  /**
   * Sets up a household on {@code location} (camera paired with the phone as first owner),
   * records two runs of two epochs each, prunes to one epoch by size, exports what remains.
   */
  static void recordPruneExport(String location, SegmentStore raw, Path work) throws Exception {
    String cam = work.resolve("camera").toString();
    String phone = work.resolve("phone").toString();
    ok("keygen", "--out", phone);
    Cli init = on(location, "camera init", "--camera", cam);
    Matcher m = Pattern.compile("pairing code: ([A-Z2-7-]+)").matcher(init.out());
    assertTrue(m.find(), init.out());
    on(location, "device add", "--identity", phone + "/viewer.key", "--device", phone + "/viewer.pub",
        "--name", "phone", "--pair", m.group(1));
    List<String> spool = location.startsWith("s3://") ? List.of("--spool", work.resolve("spool").toString())
        : List.of();
    for (int run = 0; run < 2; run++) {
      List<String> rec = new ArrayList<>(List.of("--camera", cam, "--duration", "4s", "--segment-seconds", "1",
          "--epoch-segments", "2", "--width", "320", "--height", "240", "--fps", "15"));
      rec.addAll(spool);
      on(location, "record", rec.toArray(String[]::new));
    }
    TreeSet<Long> epochsBefore = epochs(raw);
    List<String> segmentsBefore = names(raw, "/segments/");
    assertTrue(epochsBefore.size() >= 4, "several epochs: " + epochsBefore);
    int framesBefore = export(location, phone, work.resolve("before.mp4"));

    // an age policy that keeps everything deletes nothing; the dry run of a size policy deletes nothing
    Cli keepAll = on(location, "prune", "--identity", phone + "/viewer.key", "--keep", "30d");
    assertTrue(keepAll.out().contains("nothing to delete"), keepAll.out());
    Cli dry = on(location, "prune", "--identity", phone + "/viewer.key", "--keep", "1B", "--dry-run");
    assertTrue(dry.out().contains("would delete"), dry.out());
    assertEquals(segmentsBefore, names(raw, "/segments/"), "a dry run deletes nothing");

    Cli prune = on(location, "prune", "--identity", phone + "/viewer.key", "--keep", "1B");
    assertTrue(prune.out().contains("the stream then begins at segment"), prune.out());
    // only the newest epoch is left, with its envelope and the manifest that covers it
    TreeSet<Long> epochsAfter = epochs(raw);
    assertEquals(List.of(epochsBefore.last()), new ArrayList<>(epochsAfter));
    List<String> segmentsAfter = names(raw, "/segments/");
    assertTrue(segmentsAfter.size() < segmentsBefore.size() && !segmentsAfter.isEmpty(), segmentsAfter.toString());
    assertFalse(segmentsAfter.contains(segmentsBefore.get(0)), "the oldest segment is gone");
    assertEquals(1, names(raw, "/manifests/").size(), names(raw, "/manifests/").toString());

    // what remains verifies, decrypts and plays
    int framesAfter = export(location, phone, work.resolve("after.mp4"));
    assertTrue(framesAfter > 0 && framesAfter < framesBefore, framesAfter + " of " + framesBefore);
    // and the audit log shows the prune, signed by the owner
    Cli audit = on(location, "audit", "--identity", phone + "/viewer.key");
    assertTrue(audit.out().contains("PRUNE"), audit.out());
    assertTrue(audit.out().contains("before segment " + segmentsAfter.get(0).replaceAll(".*/0*(\\d+)\\.seg", "$1")),
        audit.out());
  }

  static int export(String location, String phone, Path out) throws Exception {
    on(location, "export", "--identity", phone + "/viewer.key", "--out", out.toString());
    return Mp4Probe.probe(out).frames();
  }

  static TreeSet<Long> epochs(SegmentStore raw) throws Exception {
    TreeSet<Long> out = new TreeSet<>();
    for (StoredObject o : raw.list("")) {
      ObjectNames.parseEnvelope(o.name()).ifPresent(e -> out.add(e.epoch().value()));
    }
    return out;
  }

  static List<String> names(SegmentStore raw, String kind) throws Exception {
    return raw.list("").stream().map(StoredObject::name).filter(n -> n.contains(kind)).collect(Collectors.toList());
  }

  @Test
  void filesystemStore() throws Exception {
    Path work = dir.resolve("fs");
    Path store = work.resolve("store");
    Files.createDirectories(store);
    FileSystemSegmentStore raw = new FileSystemSegmentStore(store);
    recordPruneExport(store.toString(), raw, work);

    // the provider rolls the audit log back to before the prune: export refuses the stream (exit 3)
    List<String> entries = names(raw, AuditLog.PREFIX);
    raw.delete(entries.get(entries.size() - 1));
    Cli refused = Cli.run("export", "--store", store.toString(), "--identity", work.resolve("phone/viewer.key").toString(),
        "--out", work.resolve("refused.mp4").toString());
    assertEquals(ObscuraCli.EXIT_INTEGRITY, refused.exitCode(), refused.toString());
    assertFalse(Files.exists(work.resolve("refused.mp4")));
    refused.oneLineError();
  }

  @Test
  void s3Store() throws Exception {
    Path work = dir.resolve("s3work");
    String location = "s3://" + S3ProxyServer.BUCKET + "/prune/home";
    try (S3SegmentStore raw = server.storeBuilder("prune/home").build()) {
      recordPruneExport(location, raw, work);
    }
  }

  @Test
  void badKeepIsAUsageError() {
    Cli r = Cli.run("prune", "--store", dir.toString(), "--identity", "x", "--keep", "ten days");
    assertEquals(ObscuraCli.EXIT_USAGE, r.exitCode(), r.toString());
  }
}
