package dev.obscura.transport.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One jnats connection of a live client, with what both ends need: the options of {@link
 * NatsLiveConfig} (fail-over across the servers, endless reconnects, the user's own inbox prefix,
 * no reconnect buffering: a live frame is worth nothing late), permission violations the server
 * reports, and a count of reconnects. Messages name subjects, never credentials.
 */
final class NatsSession {
  /** Told on the jnats connection thread; must not block. */
  interface Events {
    void reconnected();

    void permissionDenied(String what);

    void closed();
  }

  final Connection connection;
  final String user;
  private final AtomicLong reconnects = new AtomicLong();
  private volatile String permissionError;
  private volatile Events events;

  private NatsSession(NatsLiveConfig config, String role) throws IOException {
    this.user = config.credentials().userName();
    String[] servers = new String[config.servers().size()];
    for (int i = 0; i < servers.length; i++) {
      URI u = config.servers().get(i);
      servers[i] = u.toString();
    }
    Options options = new Options.Builder()
        .servers(servers)
        .authHandler(config.credentials().authHandler())
        .connectionName("obscura-" + role + "-" + user)
        .inboxPrefix(NatsSubjects.inboxPrefix(user))
        .connectionTimeout(config.connectTimeout())
        .maxReconnects(-1)
        .reconnectWait(config.reconnectWait())
        .pingInterval(java.time.Duration.ofSeconds(2))
        .reconnectBufferSize(0)
        .noEcho()
        .errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            if (error != null && error.toLowerCase(java.util.Locale.ROOT).contains("permission")) {
              permissionError = error;
              Events e = events;
              if (e != null) {
                e.permissionDenied(error);
              }
            }
          }

          @Override
          public void exceptionOccurred(Connection conn, Exception exp) {
            // reconnects are counted and reported through the connection listener
          }

          @Override
          public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            // the subscriber's own bounded queue handles slowness; jnats's limits are a backstop
          }
        })
        .connectionListener((conn, type) -> {
          Events e = events;
          if (type == ConnectionListener.Events.RESUBSCRIBED) {
            reconnects.incrementAndGet();
            if (e != null) {
              e.reconnected();
            }
          } else if (type == ConnectionListener.Events.CLOSED && e != null) {
            e.closed();
          }
        })
        .build();
    try {
      this.connection = Nats.connect(options);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting to NATS");
    } catch (UnknownHostException e) {
      throw e;
    } catch (IOException e) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      if (m.toLowerCase(java.util.Locale.ROOT).contains("authorization")) {
        throw new NatsRefusedException("NATS refused the credentials of user " + user);
      }
      throw new IOException("cannot connect to NATS " + config.servers() + " as user " + user
          + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  static NatsSession open(NatsLiveConfig config, String role) throws IOException {
    return new NatsSession(config, role);
  }

  void events(Events e) {
    events = e;
  }

  /**
   * The last permission violation the server reported, or null. jnats records the error on its
   * reader thread before it reads what follows (so after a flush it is known) and tells the error
   * listener later, on another thread; both are looked at.
   */
  String permissionError() {
    String e = permissionError;
    if (e == null) {
      String last = connection == null ? null : connection.getLastError();
      if (last != null && last.toLowerCase(java.util.Locale.ROOT).contains("permission")) {
        e = last;
      }
    }
    return e;
  }

  /**
   * Sends requests at once and waits for all replies, failing at once if the server reports a
   * permission violation meanwhile.
   *
   * @return the replies, null where none came in time or a status (404, 503) came instead
   */
  Message[] requestAll(Duration timeout, String... subjects) throws IOException {
    List<CompletableFuture<Message>> fs = new ArrayList<>();
    for (String s : subjects) {
      try {
        fs.add(connection.requestWithTimeout(s, null, timeout));
      } catch (IllegalStateException e) {
        fs.add(CompletableFuture.completedFuture(null)); // not connected now
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos() + 100_000_000L;
    Message[] out = new Message[subjects.length];
    for (int i = 0; i < out.length; i++) {
      for (;;) {
        checkPermitted();
        try {
          Message m = fs.get(i).get(20, TimeUnit.MILLISECONDS);
          out[i] = m == null || m.isStatusMessage() ? null : m;
          break;
        } catch (java.util.concurrent.TimeoutException e) {
          if (System.nanoTime() > deadline) {
            break;
          }
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
          break; // no responders, timed out
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for NATS");
        }
      }
    }
    return out;
  }

  /**
   * Makes sure a JetStream stream exists, creating it with {@code sc} if it does not (an
   * existing stream is used as it is). The info request is a plain request, so a permission
   * violation fails it at once.
   *
   * @param what what messages call the stream ("live", "events")
   */
  void ensureStream(io.nats.client.api.StreamConfiguration sc, Duration timeout, String what)
      throws IOException {
    String name = sc.getName();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (;;) {
      Message info = requestAll(timeout, "$JS.API.STREAM.INFO." + name)[0];
      if (info != null && info.getData() != null) {
        String json = new String(info.getData(), java.nio.charset.StandardCharsets.UTF_8);
        if (!json.contains("\"error\"")) {
          return;
        }
        if (json.contains("10059")) { // stream not found
          try {
            connection.jetStreamManagement().addStream(sc);
            return;
          } catch (io.nats.client.JetStreamApiException e) {
            if (e.getApiErrorCode() == 10058) { // created by another camera meanwhile
              return;
            }
            checkPermitted();
            throw new IOException("NATS refused the " + what + " stream " + name + ": "
                + e.getErrorDescription());
          }
        }
        throw new IOException("NATS refused the " + what + " stream " + name);
      }
      if (System.nanoTime() > deadline) {
        throw new java.net.SocketTimeoutException("no JetStream answer about the " + what
            + " stream " + name + " within " + timeout.toMillis() + " ms");
      }
      pause(timeout);
    }
  }

  /**
   * Publishes through JetStream and waits for the stream's acknowledgement, retrying while no
   * node answers (a node is down and the stream elects a new leader) until {@code timeout}.
   *
   * @param what what messages call the message ("the envelope of h/cam")
   * @return the acknowledgement
   */
  io.nats.client.api.PublishAck publishAcked(io.nats.client.JetStream js, String subject,
      io.nats.client.impl.Headers headers, byte[] data, io.nats.client.PublishOptions options,
      Duration timeout, String what) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (;;) {
      try {
        return js.publish(subject, headers, data, options);
      } catch (io.nats.client.JetStreamApiException e) {
        checkPermitted();
        throw new IOException("JetStream refused " + what + ": " + e.getErrorDescription());
      } catch (IOException | IllegalStateException e) {
        // no responders or a timeout while a node is down and the stream elects a new leader
        checkPermitted();
        if (System.nanoTime() > deadline) {
          throw new java.net.SocketTimeoutException("JetStream did not store " + what + " within "
              + timeout.toMillis() + " ms");
        }
        pause(timeout);
      }
    }
  }

  private static void pause(Duration timeout) throws InterruptedIOException {
    try {
      Thread.sleep(Math.max(10, Math.min(250, timeout.toMillis() / 10)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for NATS");
    }
  }

  void checkPermitted() throws NatsRefusedException {
    String e = permissionError();
    if (e != null) {
      throw new NatsRefusedException("NATS refused user " + user + ": " + e);
    }
  }

  long reconnects() {
    return reconnects.get();
  }

  void close() {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
