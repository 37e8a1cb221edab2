package dev.obscura.transport.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM that a crash test kills with SIGKILL. The child, a {@code main} on this JVM's class
 * path, prints {@code READY} once it has started, then one line per acknowledged commit, printed
 * only after the commit returned and flushed as one write: a line read here is an acknowledged
 * commit. Used as {@code try (KilledChild c = KilledChild.start(...)) { c.awaitReady(...); return
 * c.killAfter(...); }}: closing it kills the child whatever happened.
 */
public final class KilledChild implements AutoCloseable {
  private final Process process;
  private final Thread reader;
  private final List<String> acks = new ArrayList<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch firstAck = new CountDownLatch(1);

  private KilledChild(Process process, Predicate<String> isAck) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.equals("READY")) {
            ready.countDown();
          } else if (isAck.test(line)) {
            synchronized (acks) {
              acks.add(line);
            }
            firstAck.countDown();
          }
        }
      } catch (IOException e) {
        // the pipe breaks when the child dies
      }
    });
    reader.start();
  }

  /**
   * Starts {@code main} with {@code args} in a JVM with this one's class path, started quickly
   * ({@code -Xshare:auto -XX:TieredStopAtLevel=1}) and with {@code jvmOptions}; its standard error
   * is discarded.
   *
   * @param isAck which lines, other than {@code READY}, are acknowledgements
   */
  public static KilledChild start(Predicate<String> isAck, List<String> jvmOptions, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:auto");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new KilledChild(pb.start(), isAck);
  }

  /** Fails with {@code message} unless the child prints {@code READY} within {@code seconds}. */
  public void awaitReady(long seconds, String message) throws InterruptedException {
    assertTrue(ready.await(seconds, TimeUnit.SECONDS), message);
  }

  /** Fails with {@code message} unless the child acknowledges a commit within {@code seconds}. */
  public void awaitFirstAck(long seconds, String message) throws InterruptedException {
    assertTrue(firstAck.await(seconds, TimeUnit.SECONDS), message);
  }

  /**
   * Waits {@code millis}, kills the child with SIGKILL (on POSIX: no shutdown hook, no close),
   * and waits for it to die and for the rest of its output.
   *
   * @return every line it acknowledged, in order
   */
  public List<String> killAfter(long millis) throws InterruptedException {
    Thread.sleep(millis);
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "child did not die");
    reader.join(30_000);
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
