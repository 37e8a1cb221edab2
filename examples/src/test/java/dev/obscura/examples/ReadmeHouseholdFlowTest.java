package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's household flow (the shell block after {@code <!-- household-flow -->}), run line by
 * line exactly as written, each command its own {@code obscura} process in a fresh folder: only
 * the placeholders in angle brackets are replaced, by what earlier commands printed ({@code
 * pairing code: ...}, {@code enrolment code: ...}). {@code relay} runs in the background, and
 * {@code live} and {@code watch} run together, as the README says.
 */
class ReadmeHouseholdFlowTest {
  static final Pattern CODE = Pattern.compile("(pairing code|enrolment code): (\\S+)");

  @TempDir Path dir;

  static List<String> block() throws IOException {
    Path readme = Path.of(System.getProperty("obscura.root", "..")).resolve("README.md");
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    int at = lines.indexOf("<!-- household-flow -->");
    assertTrue(at >= 0, "README has the household flow marker");
    assertEquals("```sh", lines.get(at + 1));
    List<String> out = new ArrayList<>();
    for (int i = at + 2; !lines.get(i).equals("```"); i++) {
      out.add(lines.get(i));
    }
    return out;
  }

  /** Splits a command line as a shell would (double quotes group words). */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          out.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      out.add(w.toString());
    }
    return out;
  }

  Process start(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.obscura.examples.cli.ObscuraCli"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("OBSCURA_PASSPHRASE");
    pb.environment().put("OBSCURA_PLATFORM_KEY", dir.resolve("platform.key").toString());
    return pb.start();
  }

  record Ran(int code, String output) {}

  Ran run(List<String> args) throws Exception {
    Process p = start(args);
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ended: " + args);
    return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theHouseholdFlowRunsAsWritten() throws Exception {
    Files.writeString(dir.resolve("streams.txt"), "camera porch-publish-token-1 porch-watch-token-22\n");
    Map<String, String> codes = new HashMap<>();
    Process relay = null;
    Process live = null;
    StringBuilder transcript = new StringBuilder();
    // the README's port, unless something else on this machine holds it
    String port = portFree(8790) ? "8790" : String.valueOf(new ServerSocket(0).getLocalPort());
    try {
      for (String line : block()) {
        List<String> w = words(line.replace("8790", port));
        assertEquals("obscura", w.get(0), line);
        List<String> args = new ArrayList<>();
        for (String a : w.subList(1, w.size())) {
          String s = a.replace("<PAIRING-CODE>", codes.getOrDefault("pairing code", "<none>"))
              .replace("<ENROLMENT-CODE>", codes.getOrDefault("enrolment code", "<none>"));
          args.add(s);
        }
        transcript.append("$ ").append(line).append('\n');
        switch (args.get(0)) {
          case "relay" -> {
            relay = start(args);
            awaitLine(relay, "relay listening on", transcript);
          }
          case "live" -> {
            live = start(args);
            awaitLine(live, "key wrapped for", transcript);
          }
          default -> {
            Ran r = run(args);
            transcript.append(r.output());
            assertEquals(0, r.code(), () -> transcript.toString());
            Matcher m = CODE.matcher(r.output());
            while (m.find()) {
              codes.put(m.group(1), m.group(2));
            }
          }
        }
      }
      assertTrue(live != null && live.waitFor(60, TimeUnit.SECONDS), transcript::toString);
      transcript.append(new String(live.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(0, live.exitValue(), transcript::toString);
    } finally {
      if (live != null) {
        live.destroyForcibly();
      }
      if (relay != null) {
        relay.destroy();
        relay.waitFor(10, TimeUnit.SECONDS);
      }
    }
    // what the flow promises
    assertEquals(120, Mp4Probe.probe(dir.resolve("tablet.mp4")).frames(), transcript::toString);
    assertTrue(Mp4Probe.probe(dir.resolve("clip.mp4")).frames() > 0, transcript::toString);
    assertTrue(Mp4Probe.probe(dir.resolve("live.mp4")).frames() > 0, transcript::toString);
    assertTrue(Files.exists(dir.resolve("tablet/viewer.trust")), "the tablet pinned the store");
    assertTrue(transcript.toString().contains("roster version 3 accepted"), transcript::toString);
    // the revoked tablet reads the first recording, not the second (README step 13)
    Ran after = run(List.of("export", "--store", "store", "--identity", "tablet/viewer.key", "--out", "after.mp4"));
    assertEquals(4, after.code(), after.output());
    assertTrue(Files.notExists(dir.resolve("after.mp4")));
  }

  private static void awaitLine(Process p, String needle, StringBuilder transcript) throws IOException {
    StringBuilder seen = new StringBuilder();
    var in = p.getInputStream();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!seen.toString().contains(needle)) {
      int c = in.read();
      if (c < 0 || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + needle + "' from the background command:\n" + transcript + seen);
      }
      seen.append((char) c);
    }
    transcript.append(seen).append('\n');
  }
}
