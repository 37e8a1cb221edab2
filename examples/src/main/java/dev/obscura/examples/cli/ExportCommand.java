package dev.obscura.examples.cli;

import dev.obscura.codec.CencMp4Export;
import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.core.EventId;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.crypto.event.MotionEventReader;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.core.EntropySource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.cenc.CencEncryptor;
import dev.obscura.crypto.cenc.CencKey;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "export",
    description = {
      "Verify and decrypt a stream (or a time range of it) into one playable MP4.",
      "Every segment is authenticated whole, and the chain between segments checked, before any of its frames is written;",
      "on any failure nothing is left at --out.",
      "--format cenc writes an ISO Common Encryption (cenc, AES-128-CTR) fragmented MP4 instead, and its key to --key-out",
      "as one line KID:KEY in hex (a secret: owner-only). CENC has no integrity: see docs/cenc.md for proving provenance.",
      "--format tink-streaming writes the MP4 encrypted with stock Tink's streaming AEAD, and its Tink JSON keyset to --keyset-out",
      "(a secret: owner-only). See docs/schemes.md."
    })
final class ExportCommand implements Callable<Integer> {
  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--identity", required = true, paramLabel = "KEYFILE", description = "Viewer private key (viewer.key).")
  Path identity;

  @Option(names = "--out", required = true, paramLabel = "FILE.mp4", description = "MP4 file to write (must not exist, unless --force).")
  Path out;

  @CommandLine.Mixin OutputGuard output;

  /** What --format writes: a new format is one more constant, its options' checks and one more case in {@link #write}. */
  enum Format {
    mp4("mp4"),
    cenc("cenc"),
    tinkStreaming("tink-streaming");

    final String label;

    Format(String label) {
      this.label = label;
    }

    static final class Converter implements CommandLine.ITypeConverter<Format> {
      @Override
      public Format convert(String value) {
        StringBuilder known = new StringBuilder();
        for (Format f : values()) {
          if (f.label.equals(value)) {
            return f;
          }
          known.append(known.length() == 0 ? "" : ", ").append(f.label);
        }
        throw new CommandLine.TypeConversionException("unknown format '" + value + "' (known: " + known + ")");
      }
    }
  }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mp4", converter = Format.Converter.class,
      description = "mp4 (default: a clear MP4), cenc (ISO Common Encryption, fragmented MP4; needs --key-out) or tink-streaming (the MP4 encrypted with Tink's AES-GCM-HKDF streaming AEAD, empty associated data; needs --keyset-out).")
  Format format = Format.mp4;

  @Option(names = "--key-out", paramLabel = "KEYFILE",
      description = "With --format cenc: where the content key goes, one line KID:KEY in lower-case hex, owner-only (must not exist, unless --force).")
  Path keyOut;

  @Option(names = "--keyset-out", paramLabel = "KEYSET",
      description = "With --format tink-streaming: where the Tink JSON keyset goes, a cleartext secret written owner-only (must not exist, unless --force).")
  Path keysetOut;

  @Option(names = "--from", paramLabel = "TIME", converter = TimeSpec.Converter.class,
      description = "Start: an ISO-8601 instant or +S seconds from the start of the first segment.")
  TimeSpec from;

  @Option(names = "--to", paramLabel = "TIME", converter = TimeSpec.Converter.class,
      description = "End (exclusive): an ISO-8601 instant or +S seconds from the start of the first segment.")
  TimeSpec to;

  @Option(names = "--stream", description = "Stream to export (needed only when the store holds several).")
  String stream;

  @Option(names = "--event", paramLabel = "ID", description = {
      "Export exactly the segments of this motion event (its id, as obscura events lists it); not with --from/--to."})
  String event;

  @CommandLine.Mixin IdentityPassphrase unlock;

  @CommandLine.Mixin DeviceTrust trust;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExportStats stats = export(spec.commandLine().getOut(), spec.commandLine().getErr());
    spec.commandLine().getOut().printf("exported %d frames from %d segments to %s (%d bytes, %.2f s)%n",
        stats.frames(), stats.segments(), out, stats.bytes(), stats.duration().toMillis() / 1000.0);
    return 0;
  }

  ExportStats export(PrintWriter log, PrintWriter err) throws Exception {
    if (format == Format.cenc && keyOut == null) {
      throw new CliException(Outcome.USAGE, "--format cenc needs --key-out KEYFILE (where its content key goes)");
    }
    if (format != Format.cenc && keyOut != null) {
      throw new CliException(Outcome.USAGE, "--key-out is only for --format cenc");
    }
    if (format == Format.tinkStreaming && keysetOut == null) {
      throw new CliException(Outcome.USAGE, "--format tink-streaming needs --keyset-out KEYSET (where its Tink keyset goes)");
    }
    if (format != Format.tinkStreaming && keysetOut != null) {
      throw new CliException(Outcome.USAGE, "--keyset-out is only for --format tink-streaming");
    }
    sameFile("--key-out", keyOut);
    sameFile("--keyset-out", keysetOut);
    output.refuseOverwrite(out);
    for (Path secret : new Path[] {keyOut, keysetOut}) {
      if (secret != null) {
        output.refuseOverwrite(secret);
      }
    }
    ViewerIdentity viewer = ViewerIdentity.readFrom(identity, unlock.protection());
    SegmentStore segmentStore = Stores.open(store, false);
    // the one verification path: the roster against this device's pins, and every envelope
    // signed by the camera in force for the roster it names
    VerifiedStore view = trust.open(segmentStore, store, identity, log, err);
    StreamId streamId = Stores.pickStream(segmentStore, stream);
    // the one verification path: envelopes, the camera's signed manifests against what the store
    // lists (nothing missing at the end), the range against the stream's segments
    VerifiedStore.Reading reading = view.read(streamId, viewer, range(view, viewer, streamId), Instant.now());
    reading.note().ifPresent(n -> note(log, n));
    int total = reading.range().segments();

    boolean terminal = System.console() != null;
    try (StreamReader reader = reading.reader();
        ProgressBar bar = terminal
            ? new ProgressBarBuilder().setTaskName("export").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" segments", 1).build()
            : null) {
      Iterator<byte[]> plaintexts = new Iterator<>() {
        OpenedSegment next;
        boolean done;

        @Override
        public boolean hasNext() {
          if (next == null && !done) {
            try {
              next = reader.next();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            } catch (ObscuraException e) {
              throw new Wrapped(e);
            }
            done = next == null;
          }
          return next != null;
        }

        @Override
        public byte[] next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          byte[] p = next.plaintext();
          next = null;
          if (bar != null) {
            bar.step();
          }
          return p;
        }
      };
      try {
        ExportStats stats = write(plaintexts, log);
        for (VerifiedStore.StaleEpoch st : view.staleEpochs()) {
          err.println("obscura: warning: " + st.describe());
        }
        err.flush();
        return stats;
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } catch (Wrapped e) {
        throw e.obscura;
      }
    }
  }

  /** {@code --from}/{@code --to}, or the segments of {@code --event} (opened and verified first). */
  private StreamRange range(VerifiedStore view, ViewerIdentity viewer, StreamId streamId) throws Exception {
    if (event == null) {
      return TimeSpec.range(from, to);
    }
    if (from != null || to != null) {
      throw new CliException(Outcome.USAGE, "--event selects its own segments: not with --from or --to");
    }
    EventId id;
    try {
      id = EventId.parse(event);
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --event: " + e.getMessage());
    }
    MotionEventReader events = MotionEventReader.builder().view(view).identity(viewer).build();
    try {
      return events.rangeOf(events.open(streamId, id));
    } catch (NoSuchObjectException e) {
      throw new CliException(Outcome.CONFLICT, "no event " + id + " of " + streamId + " in the store");
    }
  }

  private void sameFile(String option, Path secret) {
    if (secret != null && secret.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new CliException(Outcome.USAGE, option + " and --out name the same file");
    }
  }

  /** Writes the verified plaintexts in {@link #format}; on failure, no file is left. */
  private ExportStats write(Iterator<byte[]> plaintexts, PrintWriter log) throws Exception {
    switch (format) {
      case cenc:
        return cenc(plaintexts, log);
      case tinkStreaming:
        return TinkStreamingOutput.write(plaintexts, out, keysetOut, output);
      case mp4:
      default:
        return Mp4Export.write(plaintexts, out);
    }
  }

  /**
   * The CENC export: a fresh random KID and key; the file is written into a private folder beside
   * --out, then the key file is written (owner-only), then the file is moved into place, so a
   * failure at any step leaves neither (nor any temporary file).
   */
  private ExportStats cenc(Iterator<byte[]> plaintexts, PrintWriter log) throws Exception {
    CencKey key = CencKey.generate(EntropySource.system());
    Path stage = Files.createTempDirectory(out.toAbsolutePath().getParent(), ".obscura-");
    Path staged = stage.resolve("export.mp4");
    try {
      ExportStats stats = CencMp4Export.write(plaintexts, staged, new CencEncryptor(key, null, EntropySource.system()));
      output.write(keyOut, key::writeKeyFile);
      try {
        Files.move(staged, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(keyOut);
        throw e;
      }
      log.println("cenc: key id " + key.keyIdHex() + ", key written to " + keyOut
          + " (CENC has no integrity: pair the file with 'obscura share' to prove where it came from)");
      log.flush();
      return stats;
    } finally {
      key.destroy();
      Files.deleteIfExists(staged);
      Files.deleteIfExists(stage);
    }
  }

  private static void note(PrintWriter log, String note) {
    log.println("note: " + note);
    log.flush();
  }

  /** Carries a checked Obscura exception through the exporter's iterator. */
  private static final class Wrapped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ObscuraException obscura;

    Wrapped(ObscuraException e) {
      super(e.getMessage(), null, false, false);
      this.obscura = e;
    }
  }
}
