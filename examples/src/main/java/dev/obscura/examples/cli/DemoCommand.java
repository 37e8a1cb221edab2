package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Probe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    description = {
      "Run the whole flow on the synthetic camera in a fresh folder: keygen, record, inspect, export.",
      "DIR/keys holds the viewer's keys, DIR/store what a cloud would hold, DIR/export.mp4 what the viewer sees."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "A new or empty folder.")
  Path dir;

  @Option(names = "--duration", defaultValue = "10s", converter = Durations.class, description = "Length of the recording (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @CommandLine.Mixin VideoOptions video;

  @Option(names = "--segment-seconds", defaultValue = "2", paramLabel = "S", description = "Target segment length (default: ${DEFAULT-VALUE}).")
  double segmentSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (Files.exists(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new CliException(Outcome.CONFLICT, "demo needs a new or empty folder; " + dir + " is not empty");
        }
      }
    }
    long t0 = System.nanoTime();
    Path keys = dir.resolve("keys");
    Path store = dir.resolve("store");
    Path mp4 = dir.resolve("export.mp4");

    out.println("== 1. the owner's phone makes a viewer identity");
    KeygenCommand keygen = new KeygenCommand();
    keygen.out = keys;
    keygen.spec = spec;
    keygen.output = new OutputGuard();
    keygen.call();

    out.printf("== 2. the camera records %s of %dx%d@%d, sealing each segment before it leaves%n",
        Durations.format(duration), video.width, video.height, video.fps);
    RecordCommand record = new RecordCommand();
    record.store = StoreOptions.folder(store);
    record.recipient = keys.resolve("viewer.pub");
    record.duration = duration;
    record.segmentSeconds = segmentSeconds;
    record.video = video;
    record.stream = "demo-camera";
    long tRecord = System.nanoTime();
    RecordCommand.Result recorded = record.record(new PrintWriter(new StringWriter()));
    double recordSeconds = (System.nanoTime() - tRecord) / 1e9;

    out.println("== 3. what the cloud sees (no key needed, nothing readable)");
    InspectCommand inspect = new InspectCommand();
    inspect.store = StoreOptions.folder(store);
    inspect.spec = spec;
    inspect.call();

    out.println("== 4. the viewer verifies, decrypts and exports");
    ExportCommand export = new ExportCommand();
    export.store = StoreOptions.folder(store);
    export.identity = keys.resolve("viewer.key");
    export.out = mp4;
    export.spec = spec;
    export.trust = new DeviceTrust();
    export.unlock = new IdentityPassphrase();
    export.output = new OutputGuard();
    long tExport = System.nanoTime();
    ExportStats exported = export.export(out, spec.commandLine().getErr());
    double exportSeconds = (System.nanoTime() - tExport) / 1e9;
    Mp4Probe.Result probe = Mp4Probe.probe(mp4);

    double total = (System.nanoTime() - t0) / 1e9;
    long overhead = recorded.sealedBytes() - recorded.plaintextBytes();
    out.println("== summary");
    out.printf(Locale.ROOT, "frames recorded:   %d in %d segments (%.2f s)%n", recorded.frames(), recorded.segments(), recordSeconds);
    out.printf(Locale.ROOT, "bytes sealed:      %d of video -> %d sealed, + %d bytes of key envelope%n",
        recorded.plaintextBytes(), recorded.sealedBytes(), recorded.envelopeBytes());
    out.printf(Locale.ROOT, "sealing overhead:  %d bytes in all, %.0f bytes per segment (%.3f%%)%n",
        overhead, (double) overhead / Math.max(1, recorded.segments()),
        100.0 * overhead / Math.max(1, recorded.plaintextBytes()));
    out.printf(Locale.ROOT, "frames exported:   %d (%dx%d, %.2f s of video) to %s (%.2f s)%n",
        probe.frames(), probe.width(), probe.height(), probe.duration().toMillis() / 1000.0, mp4, exportSeconds);
    out.printf(Locale.ROOT, "time taken:        %.2f s%n", total);
    if (probe.frames() != recorded.frames() || exported.frames() != recorded.frames()) {
      throw new CliException(Outcome.INTERNAL,
          "exported " + probe.frames() + " frames but recorded " + recorded.frames());
    }
    return 0;
  }
}
