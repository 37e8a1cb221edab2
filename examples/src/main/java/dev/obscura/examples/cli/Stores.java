package dev.obscura.examples.cli;

import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Opens the store a command names, and finds the stream in it. */
final class Stores {
  private Stores() {}

  /** Opens a store folder, creating it when {@code create} is set. */
  static SegmentStore open(Path dir, boolean create) throws IOException {
    if (!create && !Files.isDirectory(dir)) {
      throw new CliException(ObscuraCli.EXIT_FAILURE, "no store at " + dir);
    }
    return new FileSystemSegmentStore(dir);
  }

  /** The streams that have segments in the store, sorted. */
  static TreeSet<StreamId> streams(SegmentStore store) throws IOException {
    TreeSet<StreamId> streams = new TreeSet<>();
    for (StoredObject o : store.list("")) {
      Optional<SegmentId> id = ObjectNames.parseSegment(o.name());
      id.ifPresent(s -> streams.add(s.stream()));
    }
    return streams;
  }

  /** The stream named, or the store's only stream. */
  static StreamId pickStream(SegmentStore store, String requested) throws IOException {
    if (requested != null) {
      return parseStream(requested);
    }
    TreeSet<StreamId> streams = streams(store);
    if (streams.isEmpty()) {
      throw new CliException(ObscuraCli.EXIT_FAILURE, "the store holds no segments");
    }
    if (streams.size() > 1) {
      throw new CliException(ObscuraCli.EXIT_USAGE,
          "the store holds several streams " + streams + ": choose one with --stream");
    }
    return streams.first();
  }

  static StreamId parseStream(String name) {
    try {
      return StreamId.of(name);
    } catch (IllegalArgumentException e) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "invalid --stream: " + e.getMessage());
    }
  }

  static List<StoredObject> all(SegmentStore store) throws IOException {
    return store.list("");
  }
}
