package dev.obscura.examples.cli;

import dev.obscura.core.EntropySource;

import java.util.Locale;
import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.keys.WrongPassphraseException;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.trust.NotPairedException;
import dev.obscura.crypto.trust.TrustException;
import dev.obscura.transport.relay.RelayClosedException;
import dev.obscura.transport.nats.NatsRefusedException;
import dev.obscura.transport.relay.RelayRefusedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code obscura} command-line tool.
 *
 * <p>Exit codes: {@link #EXIT_CODES}, the one table every command's help lists; they are the
 * SDK's {@link Outcome}s, mapped in {@link #exitCodeFor} and nowhere else. Errors print one line
 * on standard error, never a stack trace (set {@code OBSCURA_DEBUG=1} to see one).
 *
 * <p>Every command and subcommand takes {@code --help} and {@code --version} ({@link
 * #commandLine()} mixes them into the whole tree, with the exit-code list).
 */
@Command(
    name = "obscura",
    mixinStandardHelpOptions = true,
    versionProvider = ObscuraCli.Version.class,
    description = "End-to-end-encrypted video: seal on the camera, store ciphertext, watch only on enrolled devices.",
    commandListHeading = "%nCommands:%n",
    subcommands = {
      KeygenCommand.class,
      RecordCommand.class,
      EventsCommand.class,
      ExportCommand.class,
      InspectCommand.class,
      DemoCommand.class,
      ShareCommand.class,
      VerifyShareCommand.class,
      AuditCommand.class,
      CameraCommand.class,
      DeviceCommand.class,
      RecoveryCommand.class,
      RecoveryCommand.Recover.class,
      RelayCommand.class,
      LiveCommand.class,
      WatchCommand.class,
      NatsCommand.class,
      PruneCommand.class,
      LabCommand.class,
      CommandLine.HelpCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class ObscuraCli implements Runnable {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_INTEGRITY = 3;
  public static final int EXIT_NO_KEY = 4;
  public static final int EXIT_MALFORMED = 5;

  /**
   * The exit codes, in the words every command's help shows ({@code Exit codes:}): one code per
   * kind of failure, the same in every command. A state conflict (already enrolled, refusing to
   * overwrite, no store, no roster yet) is 1 like an I/O failure: the call was right, the world
   * was not; a usage error (a bad flag or value, a combination the rules never allow) is 2.
   */
  public static final Map<Integer, String> EXIT_CODES = exitCodes();

  /** Where the commands draw the keys they make (the system's, but for a test's own run). */
  private EntropySource entropy = EntropySource.system();

  EntropySource entropy() {
    return entropy;
  }

  private static Map<Integer, String> exitCodes() {
    Map<Integer, String> m = new LinkedHashMap<>();
    m.put(0, "Success.");
    m.put(EXIT_FAILURE, "The request does not fit the current state (already enrolled, refusing to overwrite"
        + " without --force, no store or no roster yet), or an I/O, network or unexpected failure.");
    m.put(EXIT_USAGE, "Bad usage: a missing or invalid option or value, or something the rules never allow.");
    m.put(EXIT_INTEGRITY, "Verification failed: tampered, truncated, reordered or missing footage, a roster,"
        + " envelope or log that does not verify. Nothing unverified was written.");
    m.put(EXIT_NO_KEY, "No key for this identity: not a recipient, revoked, not an owner, a wrong passphrase.");
    m.put(EXIT_MALFORMED, "Malformed input: not an Obscura file of a version this tool reads, or absurd fields.");
    return java.util.Collections.unmodifiableMap(m);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the tool in-process (for tests and embedding) and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, EntropySource.system());
  }

  /**
   * {@link #run(String[], PrintWriter, PrintWriter)} with the keys the commands make drawn from
   * {@code entropy}: the key-hygiene test records the draws to know every key it must not find.
   * An argument of one run, not a switch in a static field.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, EntropySource entropy) {
    dev.obscura.codec.FfmpegLogs.errorsOnly();
    CommandLine cli = commandLine();
    ((ObscuraCli) cli.getCommand()).entropy = entropy;
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      int code = exitCodeFor(e);
      List<StoreOptions> stores = StoreOptions.of(parseResult);
      String s3 = Stores.s3Problem(e, stores.stream().filter(StoreOptions::isS3).findFirst().orElse(null));
      err.println("obscura: " + (s3 != null ? s3 : messageFor(e)));
      if (System.getenv("OBSCURA_DEBUG") != null) {
        e.printStackTrace(err);
      }
      err.flush();
      return code;
    });
    cli.setParameterExceptionHandler((e, args2) -> {
      err.println("obscura: " + e.getMessage());
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      err.flush();
      return EXIT_USAGE;
    });
    int code = 1;
    try {
      code = cli.execute(args);
      return code;
    } finally {
      StoreOptions.closeAll(cli.getParseResult(), code != 0); // S3 clients, empty folders a failure made
    }
  }

  /**
   * The whole command tree, as {@link #run} executes it: every command and subcommand with
   * {@code --help}, {@code --version} and the {@link #EXIT_CODES} list in its help.
   *
   * @return a new command line for {@code obscura}
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ObscuraCli());
    CommandLine.IVersionProvider version = cli.getCommandSpec().versionProvider();
    Map<String, String> codes = new LinkedHashMap<>();
    EXIT_CODES.forEach((k, v) -> codes.put(String.format(Locale.ROOT, "%3d", k), v));
    configure(cli, version, codes);
    // picocli hides it by default; here it is a command like the others (see the README)
    cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    return cli;
  }

  private static void configure(CommandLine c, CommandLine.IVersionProvider version, Map<String, String> codes) {
    CommandLine.Model.CommandSpec spec = c.getCommandSpec();
    if (!spec.mixinStandardHelpOptions() && spec.findOption("--help") == null) {
      spec.mixinStandardHelpOptions(true);
    }
    if (spec.versionProvider() == null) {
      spec.versionProvider(version);
    }
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    for (CommandLine sub : c.getSubcommands().values()) {
      configure(sub, version, codes);
    }
  }

  /**
   * The one mapping from failures to exit codes: the SDK's {@link Outcome} (a {@link
   * CliException} carries one too), I/O and anything unclassified being 1.
   */
  static int exitCodeFor(Throwable e) {
    Outcome outcome = e instanceof CliException c ? c.outcome() : Outcome.of(e);
    return switch (outcome) {
      case INTEGRITY -> EXIT_INTEGRITY;
      case NO_KEY -> EXIT_NO_KEY;
      case MALFORMED -> EXIT_MALFORMED;
      case USAGE -> EXIT_USAGE;
      case CONFLICT, IO, INTERNAL -> EXIT_FAILURE; // the table: state conflicts are 1, like I/O
    };
  }

  /**
   * The words a failure's message is prefixed with, by its type: the first type that matches wins,
   * so a subclass comes before its superclass; an empty prefix shows the message alone.
   */
  private static final List<Map.Entry<Class<? extends Throwable>, String>> PREFIXES = List.of(
      Map.entry(TruncatedSegmentException.class, "truncated segment: "),
      Map.entry(ChainBrokenException.class, "stream is not continuous: "),
      Map.entry(KeyMismatchException.class, "wrong key or moved segment: "),
      Map.entry(TamperedSegmentException.class, "tampered segment: "),
      Map.entry(RosterRejectedException.class, ""),
      Map.entry(NotPairedException.class, "not paired: "),
      Map.entry(IntegrityException.class, "verification failed: "),
      Map.entry(KeyUnavailableException.class, "no key: "),
      Map.entry(WrongPassphraseException.class, "wrong passphrase: "),
      Map.entry(MalformedDataException.class, "malformed input: "),
      Map.entry(ObscuraException.class, ""),
      Map.entry(NoSuchFileException.class, "no such file: "),
      Map.entry(FileAlreadyExistsException.class, "file exists: "),
      Map.entry(AccessDeniedException.class, "permission denied: "),
      Map.entry(NoSuchObjectException.class, ""),
      Map.entry(RelayRefusedException.class, "refused by relay: "),
      Map.entry(NatsRefusedException.class, "refused by NATS: "),
      Map.entry(RelayClosedException.class, "relay connection ended: "),
      Map.entry(IOException.class, "I/O error: "),
      Map.entry(java.io.UncheckedIOException.class, "I/O error: "));

  static String messageFor(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof CliException) {
      return m;
    }
    if (e instanceof IOException && e.getCause() instanceof ObscuraException o) {
      return messageFor(o); // a stream's integrity failure
    }
    if (e instanceof TrustException t) {
      return "refusing the store (" + t.reasonText() + "): " + m;
    }
    for (Map.Entry<Class<? extends Throwable>, String> p : PREFIXES) {
      if (p.getKey().isInstance(e)) {
        return p.getValue() + m;
      }
    }
    return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ObscuraCli.class.getPackage().getImplementationVersion();
      return new String[] {"obscura " + (v == null ? "development build" : v)};
    }
  }
}
