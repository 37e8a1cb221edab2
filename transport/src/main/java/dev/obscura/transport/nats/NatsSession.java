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
