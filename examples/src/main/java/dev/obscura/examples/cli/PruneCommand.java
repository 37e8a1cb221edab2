package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.retention.Pruner;
import dev.obscura.crypto.retention.RetentionPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code obscura prune}: parses flags, runs the SDK's {@link Pruner}, prints what went. */
@Command(
    name = "prune",
    description = {
      "Delete a stream's oldest footage by a retention policy, as an owner.",
      "It deletes whole epochs, oldest first, with their key envelopes and the manifests that cover nothing kept; never the newest epoch.",
      "The prune is signed into the audit log first, so readers can tell it from a store deleting footage."
    })
final class PruneCommand implements Callable<Integer> {
  private static final Pattern BYTES = Pattern.compile("(\\d+)(b|kb|kib|mb|mib|gb|gib|tb|tib)");
  private static final Pattern DAYS = Pattern.compile("(\\d+)d");

  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--identity", required = true, paramLabel = "KEYFILE",
      description = "An owner's private key (viewer.key): it signs the prune in the audit log.")
  Path identity;

  @Option(names = "--keep", required = true, paramLabel = "AGE|SIZE",
      description = "What to keep per stream: an age (30d, 12h, 90m, PT720H) or a size (10GiB, 500MB, 1024B).")
  String keep;

  @Option(names = "--stream", description = "Prune this stream only (default: every stream in the store).")
  String stream;

  @Option(names = "--dry-run", description = "Print what would be deleted, delete nothing.")
  boolean dryRun;

  @CommandLine.Mixin IdentityPassphrase unlock;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RetentionPolicy policy = policy(keep);
    ViewerIdentity owner = ViewerIdentity.readFrom(identity, unlock.protection());
    SegmentStore segmentStore = Stores.open(store, false);
    Pruner pruner = Pruner.builder().store(segmentStore).owner(owner)
        .trust(DeviceTrust.pins(identity), store.storeId()).build();
    List<StreamId> streams = stream != null ? List.of(StreamId.of(stream)) : Pruner.streams(segmentStore);
    for (StreamId s : streams) {
      Pruner.Plan plan = dryRun ? pruner.plan(s, policy) : pruner.prune(s, policy).plan();
      out.println((dryRun && plan.deletesAnything() ? "would delete " : "") + plan.describe());
      if (dryRun) {
        plan.deletions().forEach(n -> out.println("  " + n));
      }
    }
    out.flush();
    return 0;
  }

  /** {@code 30d}, any {@link Durations} form, or a size with a unit (decimal or binary). */
  static RetentionPolicy policy(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      Matcher b = BYTES.matcher(v);
      if (b.matches()) {
        long n = Long.parseLong(b.group(1));
        long unit = switch (b.group(2)) {
          case "b" -> 1L;
          case "kb" -> 1_000L;
          case "kib" -> 1L << 10;
          case "mb" -> 1_000_000L;
          case "mib" -> 1L << 20;
          case "gb" -> 1_000_000_000L;
          case "gib" -> 1L << 30;
          case "tb" -> 1_000_000_000_000L;
          default -> 1L << 40;
        };
        return RetentionPolicy.keepBytes(Math.multiplyExact(n, unit));
      }
      Matcher d = DAYS.matcher(v);
      if (d.matches()) {
        return RetentionPolicy.keepFor(java.time.Duration.ofDays(Long.parseLong(d.group(1))));
      }
      return RetentionPolicy.keepFor(Durations.parse(value));
    } catch (CommandLine.TypeConversionException | ArithmeticException | IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --keep '" + value
          + "': give an age (30d, 12h, PT720H) or a size (10GiB, 500MB), positive");
    }
  }
}
