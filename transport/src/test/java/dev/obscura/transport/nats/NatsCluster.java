package dev.obscura.transport.nats;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Test fixture: a three-node NATS JetStream cluster on loopback, one {@code nats-server} process
 * per node (client, cluster-route and monitoring ports picked free on 127.0.0.1, JetStream store
 * under a temporary folder), trusting one {@link NatsCredentials} operator with {@code resolver:
 * MEMORY}. {@link #start} waits until every node reports a JetStream meta leader; {@link #kill}
 * SIGKILLs one node and {@link #restart} starts it again on the same ports; {@link #close} stops
 * all (and kills leftovers).
 *
 * <p>Tests that need it call {@link #assumeInstalled()}: without {@code nats-server} (apt package
 * {@code nats-server}; CI installs it) they are skipped with that message. The binary is found
 * via the system property {@code obscura.nats.server}, then {@code PATH}, then {@code /usr/sbin}.
 */
public final class NatsCluster implements AutoCloseable {
  private static final int NODES = 3;
  private final Path dir;
  private final String trust;
  private final int[] clientPorts = new int[NODES];
  private final int[] routePorts = new int[NODES];
  private final int[] httpPorts = new int[NODES];
  private final Process[] nodes = new Process[NODES];

  private final Thread reaper = new Thread(this::killAll, "nats-cluster-reaper");

  private NatsCluster(Path dir, String trust) {
    this.dir = dir;
    this.trust = trust;
    Runtime.getRuntime().addShutdownHook(reaper); // no node outlives the test JVM
  }

  private void killAll() {
    for (Process p : nodes) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * The nats-server binary, or null.
   *
   * @return its path, or null if not installed
   */
  public static Path binary() {
    String p = System.getProperty("obscura.nats.server");
    if (p != null && Files.isExecutable(Path.of(p))) {
      return Path.of(p);
    }
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(path == null ? List.of() : List.of(path.split(":")));
    dirs.add("/usr/sbin");
    dirs.add("/usr/local/bin");
    for (String d : dirs) {
      Path c = Path.of(d, "nats-server");
      if (Files.isExecutable(c)) {
        return c;
      }
    }
    return null;
  }

  /** Skips the calling test if nats-server is not installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(binary() != null,
        "nats-server is not installed (apt-get install nats-server; .ci/run does): NATS tests skipped");
  }

  /**
   * Starts the cluster and waits for its JetStream meta leader.
   *
   * @param dir a temporary folder for configs, logs and stores
   * @param authority the operator the servers trust
   * @param households the households whose accounts are preloaded
   * @return the running cluster
   * @throws Exception if a node does not come up within 30 s
   */
  public static NatsCluster start(Path dir, NatsCredentials authority, List<String> households)
      throws Exception {
    assumeInstalled();
    return start(dir, authority.serverConfig(households));
  }

  /**
   * Starts the cluster with the given trust configuration and waits for its meta leader.
   *
   * @param dir a temporary folder for configs, logs and stores
   * @param trust the operator and resolver lines ({@link NatsCredentials#serverConfig})
   * @return the running cluster
   * @throws Exception if a node does not come up within 30 s
   */
  public static NatsCluster start(Path dir, String trust) throws Exception {
    assumeInstalled();
    Files.createDirectories(dir);
    NatsCluster c = new NatsCluster(dir, trust);
    try {
      for (int i = 0; i < NODES; i++) {
        c.clientPorts[i] = freePort();
        c.routePorts[i] = freePort();
        c.httpPorts[i] = freePort();
      }
      for (int i = 0; i < NODES; i++) {
        c.writeConfig(i);
        c.launch(i);
      }
      c.awaitReady(30_000);
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void writeConfig(int i) throws IOException {
    StringBuilder routes = new StringBuilder();
    for (int j = 0; j < NODES; j++) {
      routes.append(j == 0 ? "" : ", ").append("nats-route://127.0.0.1:").append(routePorts[j]);
    }
    String conf = "server_name: n" + i + "\n"
        + "listen: 127.0.0.1:" + clientPorts[i] + "\n"
        + "http: 127.0.0.1:" + httpPorts[i] + "\n"
        + "max_payload: 8MB\n"
        + "jetstream {\n  store_dir: \"" + dir.resolve("store-n" + i) + "\"\n"
        + "  max_mem: 1G\n  max_file: 64M\n}\n"
        + "cluster {\n  name: obscura\n  listen: 127.0.0.1:" + routePorts[i] + "\n"
        + "  routes: [" + routes + "]\n}\n"
        + trust;
    Files.writeString(dir.resolve("n" + i + ".conf"), conf);
  }

  private void launch(int i) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(binary().toString(), "-c",
        dir.resolve("n" + i + ".conf").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("n" + i + ".log").toFile()));
    nodes[i] = pb.start();
  }

  private void awaitReady(long millis) throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    for (int i = 0; i < NODES; i++) {
      if (nodes[i] != null) {
        awaitNode(i, deadline);
      }
    }
  }

  private void awaitNode(int i, long deadline) throws Exception {
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      if (!nodes[i].isAlive()) {
        throw new IllegalStateException("nats-server n" + i + " exited: " + log(i));
      }
      try {
        last = get("http://127.0.0.1:" + httpPorts[i] + "/jsz");
        if (last.matches("(?s).*\"meta_cluster\"\\s*:\\s*\\{[^}]*\"leader\"\\s*:\\s*\"n\\d\".*")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("nats-server n" + i + " has no JetStream meta leader: " + last
        + "\n" + log(i));
  }

  private String log(int i) {
    try {
      String s = Files.readString(dir.resolve("n" + i + ".log"));
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(500);
    c.setReadTimeout(1000);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  /**
   * The client URL of every node.
   *
   * @return {@code nats://127.0.0.1:port}, one per node
   */
  public List<URI> urls() {
    List<URI> out = new ArrayList<>();
    for (int p : clientPorts) {
      out.add(URI.create("nats://127.0.0.1:" + p));
    }
    return out;
  }

  /**
   * The client URLs as the command line takes them.
   *
   * @return comma-separated URLs
   */
  public String urlList() {
    StringBuilder b = new StringBuilder();
    for (URI u : urls()) {
      b.append(b.length() == 0 ? "" : ",").append(u);
    }
    return b.toString();
  }

  /**
   * The client URL of one node.
   *
   * @param i the node, 0 to 2
   * @return its URL
   */
  public URI url(int i) {
    return urls().get(i);
  }

  /**
   * The process ids of the running nodes.
   *
   * @return one pid per live node
   */
  public List<Long> pids() {
    List<Long> out = new ArrayList<>();
    for (Process p : nodes) {
      if (p != null && p.isAlive()) {
        out.add(p.pid());
      }
    }
    return out;
  }

  /**
   * SIGKILLs one node.
   *
   * @param i the node, 0 to 2
   * @throws InterruptedException if interrupted while it dies
   */
  public void kill(int i) throws InterruptedException {
    nodes[i].destroyForcibly();
    nodes[i].waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Starts a killed node again, on the same ports and store, and waits for it to see a leader.
   *
   * @param i the node, 0 to 2
   * @throws Exception if it does not come up
   */
  public void restart(int i) throws Exception {
    launch(i);
    awaitNode(i, System.currentTimeMillis() + 30_000);
  }

  /** Stops every node (SIGTERM, then SIGKILL after 5 s). */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // shutting down: the hook runs
    }
    for (Process p : nodes) {
      if (p != null) {
        p.destroy();
      }
    }
    for (Process p : nodes) {
      if (p != null) {
        try {
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
