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
    out.flush();
    err.flush();
    if (follow) {
      follow(reader, new StoreEventBus(segmentStore), streams, out, err);
    }
    return 0;
  }

  private void show(PrintWriter out, MotionEvent e) throws Exception {
    out.printf("%-32s  %-27s  %-27s  %-16s  %d..%d%n", e.id(), e.start(), e.end(), e.stream(), e.firstSegment(),
        e.lastSegment());
    if (thumbnails != null) {
      dev.obscura.core.AtomicFiles.write(thumbnails.resolve(e.id().toHex() + ".jpg"), e.thumbnail());
    }
    out.flush();
  }

  /** New events from the store's event bus (the reader's guard skips those already listed). */
  private void follow(MotionEventReader reader, StoreEventBus bus, List<StreamId> streams, PrintWriter out,
      PrintWriter err) throws Exception {
    List<EventSubscriber> subs = new ArrayList<>();
    try {
      for (StreamId s : streams) {
        subs.add(bus.subscribe(s));
      }
      while (!Thread.currentThread().isInterrupted()) {
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
    } finally {
      for (EventSubscriber sub : subs) {
        sub.close();
      }
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
