package dev.obscura.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.examples.cli.RosterCliTest.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tool explains itself: {@code --help} on every command of the tree, the exit-code list in
 * every help, one exit code per kind of failure, {@code --force} for every {@code --out}, aligned
 * columns, plurals, one spelling of a device fingerprint (pasted with its spaces), and no empty
 * folder left by a failed command.
 */
class CliHelpAndOutputTest {
  @TempDir Path tmp;

  static Run cli(String... args) {
    return RosterCliTest.cli(args);
  }

  static Run ok(String... args) {
    return RosterCliTest.ok(args);
  }

  static void assertExit(int code, Run r) {
    assertEquals(code, r.code(), () -> "exit " + r.code() + "\n" + r.out() + r.err());
  }

  String p(String name) {
    return tmp.resolve(name).toString();
  }

  /** Every command's qualified name, root first, walking the whole picocli tree. */
  static List<List<String>> commands(CommandLine c, List<String> prefix, List<List<String>> all) {
    all.add(prefix);
    for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
      if (!e.getKey().equals(e.getValue().getCommandName())) {
        continue; // an alias
      }
      List<String> next = new ArrayList<>(prefix);
      next.add(e.getKey());
      commands(e.getValue(), next, all);
    }
    return all;
  }

  @Test
  void anUncheckedIoFailureIsAnIoErrorNotAJavaTypeName() {
    // Recorder.close() reports a last manifest it could not store (a full disk) this way
    String m = ObscuraCli.messageFor(new java.io.UncheckedIOException("the last chain manifest of porch was not"
        + " stored: No space left on device", new java.io.IOException("No space left on device")));
    assertEquals("I/O error: the last chain manifest of porch was not stored: No space left on device", m);
  }

  @Test
  void helpWorksOnEveryCommandAndListsTheExitCodes() {
    List<List<String>> all = commands(ObscuraCli.commandLine(), List.of(), new ArrayList<>());
    assertTrue(all.size() >= 24, "the whole tree: " + all);
    assertTrue(all.contains(List.of("device", "add")) && all.contains(List.of("recovery", "init"))
        && all.contains(List.of("generate-completion")), all::toString);
    for (List<String> path : all) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run r = cli(args.toArray(String[]::new));
      String name = String.join(" ", path);
      assertExit(0, r);
      String full = ("obscura " + name).strip();
      String usage = "\n" + r.out();
      assertTrue(usage.contains("\nUsage: " + full + " ") || usage.contains("\nUsage: " + full + "\n"),
          () -> name + ":\n" + r.out());
      assertTrue(r.out().contains("Exit codes:"), () -> name + ":\n" + r.out());
      for (Map.Entry<Integer, String> code : ObscuraCli.EXIT_CODES.entrySet()) {
        String firstWords = code.getValue().substring(0, Math.min(20, code.getValue().length()));
        assertTrue(r.out().contains(code.getKey() + "   " + firstWords), () -> name + " lacks exit code "
            + code.getKey() + ":\n" + r.out());
      }
      assertTrue(r.err().isEmpty(), () -> name + ": " + r.err());
    }
  }

  @Test
  void summariesAreWholeSentencesAndHintsNameTheFullCommand() {
    CommandLine root = ObscuraCli.commandLine();
    for (List<String> path : commands(root, List.of(), new ArrayList<>())) {
      CommandLine c = root;
      for (String s : path) {
        c = c.getSubcommands().get(s);
      }
      String[] h = c.getCommandSpec().usageMessage().header(); // picocli's own help command has one
      String[] d = h.length > 0 ? h : c.getCommandSpec().usageMessage().description();
      assertTrue(d.length > 0, path::toString);
      String first = d[0].strip();
      assertTrue(Character.isUpperCase(first.charAt(0)) && first.endsWith("."), () -> path + ": " + first);
    }
    Run r = cli("device", "add", "--store", p("s"));
    assertExit(ObscuraCli.EXIT_USAGE, r);
    assertTrue(r.err().contains("Try 'obscura device add --help' for usage."), r.err());
    Run top = cli("record", "--no-such-flag");
    assertTrue(top.err().contains("Try 'obscura record --help' for usage."), top.err());
  }

  @Test
  void completionScriptIsGenerated() {
    Run r = cli("generate-completion");
    assertExit(0, r);
    assertTrue(r.out().contains("complete -F") && r.out().contains("device"), r.out());
    assertTrue(cli("--help").out().contains("generate-completion"), "listed in obscura --help");
  }

  static Matcher find(String regex, String text) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), () -> regex + " in\n" + text);
    return m;
  }

  /** The start index of each row's {@code column}-th whitespace-separated cell. */
  static List<Integer> columnStarts(List<String> rows, int column) {
    List<Integer> starts = new ArrayList<>();
    for (String row : rows) {
      Matcher m = Pattern.compile("\\S+").matcher(row);
      for (int i = 0; i <= column; i++) {
        assertTrue(m.find(), row);
      }
      starts.add(m.start());
    }
    return starts;
  }

  @Test
  void rosterOutputIsAlignedCountedAndSpellsFingerprintsOneWay() {
    String fpPhone = find("fingerprint: ([0-9 ]+)", ok("keygen", "--out", p("phone")).out()).group(1).strip();
    String fpTablet = find("fingerprint: ([0-9 ]+)", ok("keygen", "--out", p("tablet")).out()).group(1).strip();
    String store = p("store");
    String code = RosterCliTest.pairingCode(p("cam"), store);
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("phone/viewer.pub"),
        "--pair", code, "--name", "p");
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("tablet/viewer.pub"),
        "--name", "the tablet in the kitchen");

    Run list = ok("device", "list", "--store", store);
    List<String> rows = list.out().lines().filter(l -> l.startsWith("  ")).toList();
    assertTrue(rows.size() >= 3, list.out());
    List<Integer> fp = columnStarts(rows, 1);
    assertEquals(1, fp.stream().distinct().count(), () -> "fingerprints in one column:\n" + list.out());
    List<String> members = rows.stream().filter(l -> l.contains(fpPhone) || l.contains(fpTablet)).toList();
    assertEquals(2, members.size(), list.out());
    assertEquals(1, columnStarts(members, 7).stream().distinct().count(), () -> "names in one column:\n" + list.out());
    assertTrue(list.out().contains("\n2 devices\n"), list.out());

    // a state error, the same code as every state error: already enrolled
    Run again = cli("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device",
        p("tablet/viewer.pub"));
    assertExit(ObscuraCli.EXIT_FAILURE, again);
    assertTrue(again.err().contains("already enrolled"), again.err());

    // the fingerprint as keygen printed it, pasted unquoted: six arguments
    List<String> revoke = new ArrayList<>(List.of("device", "revoke", "--store", store, "--identity",
        p("phone/viewer.key"), "--device"));
    revoke.addAll(List.of(fpTablet.split(" ")));
    Run revoked = ok(revoke.toArray(String[]::new));
    assertTrue(revoked.out().contains(fpTablet), revoked.out());
    assertTrue(ok("device", "list", "--store", store).out().contains("\n1 device\n"));

    // audit names devices by the same fingerprint
    Run audit = ok("audit", "--store", store);
    assertTrue(audit.out().contains("by " + fpPhone + " (p)"), audit.out());
    List<String> entries = audit.out().lines().filter(l -> l.startsWith("#")).toList();
    assertEquals(1, columnStarts(entries, 2).stream().distinct().count(), audit.out());
    assertTrue(audit.out().contains("verified 3 entries and "), audit.out());

    // a usage error: an invalid pairing code
    assertExit(ObscuraCli.EXIT_USAGE, cli("camera", "pair", "--store", store, "--identity", p("phone/viewer.key"),
        "--pair", "nonsense"));
    // not a fingerprint, not a file: usage
    assertExit(ObscuraCli.EXIT_USAGE, cli("device", "revoke", "--store", store, "--identity",
        p("phone/viewer.key"), "--device", p("nothing-here.pub")));
  }

  static final String[] SMALL = {"--width", "160", "--height", "120", "--fps", "10", "--duration", "2s",
      "--segment-seconds", "1"};

  static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void everyOutRefusesToOverwriteWithoutForce() throws Exception {
    ok("keygen", "--out", p("k"));
    String fp = find("fingerprint: ([0-9 ]+)", cli("keygen", "--out", p("k"), "--force").out()).group(1);
    Run refused = cli("keygen", "--out", p("k"));
    assertExit(ObscuraCli.EXIT_FAILURE, refused);
    assertTrue(refused.err().contains("refusing to overwrite") && refused.err().contains("--force"), refused.err());
    Run forced = ok("keygen", "--out", p("k"), "--force");
    assertNotEquals(fp, find("fingerprint: ([0-9 ]+)", forced.out()).group(1), "a new identity");
    assertTrue(Files.readString(tmp.resolve("k/viewer.pub")).length() > 0);
    try (var s = Files.list(tmp.resolve("k"))) {
      assertEquals(2, s.count(), "no staging folder left behind");
    }

    String store = p("store");
    ok(concat(new String[] {"record", "--store", store, "--recipient", p("k/viewer.pub")}, SMALL));
    // inspect: aligned columns whatever the name lengths
    Run inspect = ok("inspect", "--store", store);
    List<String> rows = inspect.out().lines().filter(l -> l.contains("/") || l.startsWith("NAME")).toList();
    assertTrue(rows.size() >= 4, inspect.out());
    assertEquals(1, columnStarts(rows, 2).stream().distinct().count(), () -> "KIND in one column:\n" + inspect.out());
    assertEquals(1, rows.stream().map(l -> l.indexOf("BYTES") >= 0 ? l.indexOf("BYTES") + 5
        : find("\\s(\\d+)\\s", l).end(1)).distinct().count(), () -> "BYTES right-aligned:\n" + inspect.out());

    String[] export = {"export", "--store", store, "--identity", p("k/viewer.key"), "--out", p("a.mp4")};
    ok(export);
    assertExit(ObscuraCli.EXIT_FAILURE, cli(export));
    ok(concat(export, "--force"));

    String[] share = {"share", "--store", store, "--identity", p("k/viewer.key"), "--from", "+0", "--to", "+1",
        "--recipient", p("k/viewer.pub"), "--reason", "test", "--out", p("g.grant")};
    ok(share);
    long size = Files.size(tmp.resolve("g.grant"));
    Run again = cli(share);
    assertExit(ObscuraCli.EXIT_FAILURE, again);
    assertTrue(again.err().contains("refusing to overwrite"), again.err());
    assertEquals(size, Files.size(tmp.resolve("g.grant")));
    ok(concat(share, "--force"));

    String[] verify = {"verify-share", "--grant", p("g.grant"), "--identity", p("k/viewer.key"), "--out", p("v.mp4")};
    ok(verify);
    assertExit(ObscuraCli.EXIT_FAILURE, cli(verify));
    ok(concat(verify, "--force"));

    Run watch = cli("watch", "--relay", "ws://127.0.0.1:1", "--stream", "camera", "--token", "t0123456789abcdef",
        "--store", store, "--identity", p("k/viewer.key"), "--out", p("a.mp4"));
    assertExit(ObscuraCli.EXIT_FAILURE, watch);
    assertTrue(watch.err().contains("refusing to overwrite"), watch.err());

    Files.createDirectories(tmp.resolve("restored"));
    Files.writeString(tmp.resolve("restored/viewer.key"), "old");
    Files.writeString(tmp.resolve("code.txt"), "x\n");
    Run recover = cli("recover", "--store", store, "--passphrase-file", p("code.txt"), "--out", p("restored"));
    assertExit(ObscuraCli.EXIT_FAILURE, recover);
    assertTrue(recover.err().contains("refusing to overwrite"), recover.err());
    assertEquals("old", Files.readString(tmp.resolve("restored/viewer.key")));

    // usage vs integrity: a bad time is 2, a tampered segment is 3
    assertExit(ObscuraCli.EXIT_USAGE, cli(concat(export, "--force", "--from", "yesterday")));
    Path segment;
    try (var w = Files.walk(tmp.resolve("store"))) {
      segment = w.filter(f -> f.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(segment);
    b[b.length - 40] ^= 1;
    Files.write(segment, b);
    assertExit(ObscuraCli.EXIT_INTEGRITY, cli(concat(export, "--force")));
  }

  @Test
  void aFailedCommandLeavesNoEmptyFolder() throws Exception {
    ok("keygen", "--out", p("k"));
    // record with a camera that is not paired: no key (4), and no empty store folder
    Run unpaired = cli(concat(new String[] {"record", "--store", p("new/store"), "--camera", p("cam")}, SMALL));
    assertExit(ObscuraCli.EXIT_NO_KEY, unpaired);
    assertFalse(Files.exists(tmp.resolve("new")), "no empty store folder after a failure");
    // device add on a new store with a pairing code of no camera
    // (a real code, but its camera published its key in another store)
    String code = RosterCliTest.pairingCode(p("cam2"), p("other"));
    Run bad = cli("device", "add", "--store", p("fresh"), "--identity", p("k/viewer.key"), "--device",
        p("k/viewer.pub"), "--pair", code);
    assertNotEquals(0, bad.code(), bad.out() + bad.err());
    assertFalse(Files.exists(tmp.resolve("fresh")), bad.out() + bad.err());
    // keygen with a passphrase file that is not there: no key folder
    assertNotEquals(0, cli("keygen", "--out", p("k2/deep"), "--passphrase-file", p("missing.txt")).code());
    assertFalse(Files.exists(tmp.resolve("k2")));
  }

  @Test
  void tableAlignsAndCounts() {
    Table t = new Table("  ", false, true, false);
    t.row("a", 1, "x").row("a-much-longer-name", 12345, "y");
    StringWriter w = new StringWriter();
    t.print(new PrintWriter(w, true));
    assertEquals("  a                       1  x\n  a-much-longer-name  12345  y\n", w.toString().replace("\r\n", "\n"));
    assertEquals("1 device", Table.count(1, "device"));
    assertEquals("2 devices", Table.count(2, "device"));
    assertEquals("0 entries", Table.count(0, "entry"));
    assertEquals("1 entry", Table.count(1, "entry"));
  }
}
