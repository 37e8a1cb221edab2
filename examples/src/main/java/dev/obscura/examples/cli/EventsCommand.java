package dev.obscura.examples.cli;

import dev.obscura.core.EventMessage;
import dev.obscura.core.EventSubscriber;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.event.MotionEvent;
import dev.obscura.crypto.event.MotionEventReader;
import dev.obscura.crypto.event.StoreEventBus;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "events",
    description = {
      "List the motion events record --motion stored, verified and decrypted (id, start, end, stream, segments).",
      "Each is signed by the camera and sealed under an epoch key this device must hold; forged, moved or replayed",
      "events are refused (named on stderr). export --event ID exports an event's footage."
    })
final class EventsCommand implements Callable<Integer> {
  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--identity", required = true, paramLabel = "KEYFILE", description = "Viewer private key (viewer.key).")
  Path identity;

  @Option(names = "--thumbnails", paramLabel = "DIR", description = "Write each event's thumbnail to DIR/ID.jpg.")
  Path thumbnails;

  @Option(names = "--stream", description = "Only this stream (default: every stream in the store).")
  String stream;

  @Option(names = "--follow", description = "After listing, wait for new events and show them as they are stored (until interrupted).")
  boolean follow;

  @Option(names = "--duration", converter = Durations.class, paramLabel = "DURATION",
      description = "With --follow: stop following after this long (default: until interrupted).")
  Duration duration;

  @CommandLine.ArgGroup(exclusive = false, heading = "With --follow, follow the events over a NATS JetStream cluster (the events"
      + " published while this device was offline first):%n")
  RelayArgs.Nats nats;

  @CommandLine.Mixin IdentityPassphrase unlock;

  @CommandLine.Mixin DeviceTrust trust;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ViewerIdentity viewer = ViewerIdentity.readFrom(identity, unlock.protection());
    SegmentStore segmentStore = Stores.open(store, false);
    VerifiedStore view = trust.open(segmentStore, store, identity, out, err);
    List<StreamId> streams = stream != null ? List.of(Stores.parseStream(stream))
        : new ArrayList<>(StreamReader.streams(segmentStore));
    if ((nats != null || duration != null) && !follow) {
      throw new CliException(dev.obscura.core.Outcome.USAGE, "--nats, --creds and --duration are for --follow");
    }
    if (thumbnails != null) {
      Files.createDirectories(thumbnails);
    }
    MotionEventReader reader = MotionEventReader.builder().view(view).identity(viewer).build();
    out.printf("%-32s  %-27s  %-27s  %-16s  %s%n", "ID", "START", "END", "STREAM", "SEGMENTS");
    int shown = 0;
    for (StreamId s : streams) {
      MotionEventReader.Listing listing = reader.list(s);
      for (MotionEvent e : listing.events()) {
        show(out, e);
        shown++;
      }
      for (String refused : listing.refused()) {
        err.println("obscura: warning: refused " + refused);
      }
    }
    out.println(Table.count(shown, "event"));
    // a revocation the camera never saw: the devices it retired can still read these epochs
    for (VerifiedStore.StaleEpoch st : view.staleEpochs()) {
      err.println("obscura: warning: " + st.describe());
    }
    out.flush();
    err.flush();
    if (follow) {
      List<EventSubscriber> subs = new ArrayList<>();
      try {
        subscribe(segmentStore, streams, subs);
        follow(reader, subs, out, err);
      } finally {
        for (EventSubscriber sub : subs) {
          sub.close();
        }
      }
    }
    return 0;
  }

  /** One subscriber per stream: the household's NATS events stream with --nats, else the store. */
  private void subscribe(SegmentStore segmentStore, List<StreamId> streams, List<EventSubscriber> subs) throws Exception {
    if (nats == null) {
      StoreEventBus bus = new StoreEventBus(segmentStore);
      for (StreamId s : streams) {
        subs.add(bus.subscribe(s));
      }
      return;
    }
    dev.obscura.transport.nats.NatsLiveConfig config = nats.config();
    String household = RelayArgs.Nats.household(config);
    for (StreamId s : streams) {
      subs.add(nats.connect(() -> dev.obscura.transport.nats.NatsEventSubscriber.connect(config, household, s,
          dev.obscura.transport.nats.NatsEventSubscriber.Start.durable())));
    }
  }

  private void show(PrintWriter out, MotionEvent e) throws Exception {
    out.printf("%-32s  %-27s  %-27s  %-16s  %d..%d%n", e.id(), e.start(), e.end(), e.stream(), e.firstSegment(),
        e.lastSegment());
    if (e.gapBefore() > 0) {
      out.printf("  (%s of %s missing before this one: withheld or deleted by the store)%n",
          Table.count(e.gapBefore(), "earlier event"), e.epoch());
    }
    if (thumbnails != null) {
      dev.obscura.core.AtomicFiles.write(thumbnails.resolve(e.id().toHex() + ".jpg"), e.thumbnail());
    }
    out.flush();
  }

  /** New events from the buses (those already listed are skipped; the reader's guard refuses replays). */
  private void follow(MotionEventReader reader, List<EventSubscriber> subs, PrintWriter out, PrintWriter err)
      throws Exception {
    long end = System.nanoTime() + (duration == null ? 0 : duration.toNanos());
    while (!Thread.currentThread().isInterrupted() && (duration == null || System.nanoTime() - end < 0)) {
      for (EventSubscriber sub : subs) {
        for (EventMessage m; (m = sub.next(Duration.ZERO)) != null; ) {
          if (reader.guard().last(m.stream()).isPresent() && alreadyListed(reader, m)) {
            continue;
          }
          try {
            show(out, reader.open(m));
          } catch (ObscuraException e) {
            err.println("obscura: warning: refused event " + m.id() + " of " + m.stream() + ": " + e.getMessage());
            err.flush();
          }
        }
      }
      Thread.sleep(StoreEventBus.POLL_INTERVAL.toMillis());
    }
  }

  /** Whether the listing already showed {@code m} (its position is not after the last one shown). */
  private static boolean alreadyListed(MotionEventReader reader, EventMessage m) {
    try {
      dev.obscura.crypto.event.MotionEventFormat.Header h = dev.obscura.crypto.event.MotionEventFormat.parseHeader(m.sealed());
      return reader.guard().last(m.stream()).map(last -> h.epoch().compareTo(last.epoch()) < 0
          || (h.epoch().equals(last.epoch()) && h.sequence() <= last.sequence())).orElse(false);
    } catch (ObscuraException e) {
      return false;
    }
  }
}
