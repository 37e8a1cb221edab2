package dev.obscura.examples.cli;

import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.Hex;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "inspect",
    description = {
      "List what the store holds, as the server sees it: object names, sizes and public headers.",
      "Needs no key: everything shown here is visible to the storage provider."
    })
final class InspectCommand implements Callable<Integer> {
  @CommandLine.Mixin StoreOptions store;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SegmentStore segmentStore = Stores.open(store, false);
    PrintWriter out = spec.commandLine().getOut();
    List<StoredObject> objects = Stores.all(segmentStore);
    // NAME BYTES KIND STREAM SEQ EPOCH DETAIL: each column as wide as its widest cell
    Table table = new Table("", false, true, false, false, true, true, false);
    table.row("NAME", "BYTES", "KIND", "STREAM", "SEQ", "EPOCH", "TIME");
    long total = 0;
    int unreadable = 0;
    for (StoredObject o : objects) {
      total += o.sizeBytes();
      try (InputStream in = segmentStore.open(o.name())) {
        table.row(describe(o, in));
      } catch (MalformedDataException e) {
        unreadable++;
        table.row(o.name(), o.sizeBytes(), "unknown", "-", "-", "-", e.getMessage());
      }
    }
    table.print(out);
    out.printf("%s, %s%s%n", Table.count(objects.size(), "object"), Table.count(total, "byte"),
        unreadable == 0 ? "" : ", " + unreadable + " without an Obscura header");
    return 0;
  }

  /** The row of one object: name, size, kind, stream, sequence, epoch, time or details. */
  private static Object[] describe(StoredObject o, InputStream in) throws IOException, MalformedDataException {
    byte[] magic = in.readNBytes(4);
    InputStream rest = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(magic), in);
    if (java.util.Arrays.equals(magic, SegmentHeader.MAGIC)) {
      SegmentHeader h = SegmentHeader.read(rest);
      return new Object[] {o.name(), o.sizeBytes(), "segment", h.stream(), h.sequence(), h.epoch().value(),
          h.startTime()};
    }
    if (java.util.Arrays.equals(magic, EnvelopeHeader.MAGIC)) {
      EnvelopeHeader h = EnvelopeHeader.read(rest);
      return new Object[] {o.name(), o.sizeBytes(), "envelope", h.stream(), "-", h.epoch().value(), h.created()};
    }
    if (java.util.Arrays.equals(magic, new byte[] {'O', 'B', 'S', 'R'})) {
      // public by design: a signed roster (devices' public keys, names, roles) is relayed by the store
      dev.obscura.crypto.roster.Roster r =
          dev.obscura.crypto.roster.Roster.parse(rest.readNBytes(dev.obscura.crypto.roster.Roster.MAX_ENCODED_BYTES));
      return new Object[] {o.name(), o.sizeBytes(), "roster", "v" + r.version() + ", "
          + Table.count(r.members().size(), "device"), "-", "-", r.created()};
    }
    if (java.util.Arrays.equals(magic, new byte[] {'O', 'B', 'S', 'M'})) {
      var m = dev.obscura.crypto.chain.ChainManifest.parse(
          rest.readNBytes(dev.obscura.crypto.chain.ChainManifest.MAX_ENCODED_BYTES));
      return new Object[] {o.name(), o.sizeBytes(), "manifest", m.stream(), m.lastSequence(), "-",
          "segments " + m.firstSequence() + ".." + m.lastSequence() + ", camera key " + Hex.format(m.cameraKeyId())};
    }
    if (java.util.Arrays.equals(magic, new byte[] {'O', 'B', 'S', 'A'})) {
      var e = dev.obscura.crypto.audit.AuditEntry.parse(
          rest.readNBytes(dev.obscura.crypto.audit.AuditEntry.MAX_ENCODED_BYTES));
      return new Object[] {o.name(), o.sizeBytes(), "audit", "-", e.sequence(), "-", e.time() + " " + e.type()};
    }
    if (o.name().endsWith(".pub") && o.sizeBytes() == 32) {
      return new Object[] {o.name(), o.sizeBytes(), "key", "-", "-", "-", "Ed25519 public key"};
    }
    throw new MalformedDataException("no Obscura header");
  }
}
