package dev.obscura.examples.cli;

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
import dev.obscura.transport.relay.RelayRefusedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code obscura} command-line tool.
 *
 * <p>Exit codes: 0 success; 1 I/O or other failure (including a relay that refuses the token:
 * "refused by relay: ..."); 2 bad usage; 3 footage failed verification (tampered, truncated,
 * reordered, missing segments; a roster or envelope that does not verify; for {@code watch}: no
 * verified roster, or nothing that verified); 4 no key for this identity (not a recipient,
 * revoked, wrong passphrase, not an owner); 5 malformed input (not an Obscura file, absurd
 * fields, a bad streams file). Errors print one line on standard error, never a
 * stack trace (set {@code OBSCURA_DEBUG=1} to see one).
 */
@Command(
    name = "obscura",
    mixinStandardHelpOptions = true,
    versionProvider = ObscuraCli.Version.class,
    description = "End-to-end-encrypted video: seal on the camera, store ciphertext, watch only on enrolled devices.",
    subcommands = {
      KeygenCommand.class,
      RecordCommand.class,
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
      CommandLine.HelpCommand.class
    })
public final class ObscuraCli implements Runnable {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_INTEGRITY = 3;
  public static final int EXIT_NO_KEY = 4;
  public static final int EXIT_MALFORMED = 5;

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
    dev.obscura.codec.FfmpegLogs.errorsOnly();
    CommandLine cli = new CommandLine(new ObscuraCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      int code = exitCodeFor(e);
      err.println("obscura: " + messageFor(e));
      if (System.getenv("OBSCURA_DEBUG") != null) {
        e.printStackTrace(err);
      }
      err.flush();
      return code;
    });
    cli.setParameterExceptionHandler((e, args2) -> {
      err.println("obscura: " + e.getMessage());
      err.println("Try 'obscura " + subcommandName(e.getCommandLine()) + "--help' for usage.");
      err.flush();
      return EXIT_USAGE;
    });
    try {
      return cli.execute(args);
    } finally {
      StoreOptions.closeAll(cli.getParseResult()); // S3 clients of --store
    }
  }

  private static String subcommandName(CommandLine cl) {
    return cl.getParent() == null ? "" : cl.getCommandName() + " ";
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
      case CONFLICT, IO, INTERNAL -> EXIT_FAILURE;
    };
  }

  static String messageFor(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof CliException) {
      return m;
    }
    if (e instanceof IOException && e.getCause() instanceof ObscuraException o) {
      return messageFor(o); // a stream's integrity failure
    }
    if (e instanceof TruncatedSegmentException) {
      return "truncated segment: " + m;
    }
    if (e instanceof ChainBrokenException) {
      return "stream is not continuous: " + m;
    }
    if (e instanceof KeyMismatchException) {
      return "wrong key or moved segment: " + m;
    }
    if (e instanceof TamperedSegmentException) {
      return "tampered segment: " + m;
    }
    if (e instanceof RosterRejectedException) {
      return m;
    }
    if (e instanceof TrustException t) {
      return "refusing the store (" + t.reasonText() + "): " + m;
    }
    if (e instanceof NotPairedException) {
      return "not paired: " + m;
    }
    if (e instanceof IntegrityException) {
      return "verification failed: " + m;
    }
    if (e instanceof KeyUnavailableException) {
      return "no key: " + m;
    }
    if (e instanceof WrongPassphraseException) {
      return "wrong passphrase: " + m;
    }
    if (e instanceof MalformedDataException) {
      return "malformed input: " + m;
    }
    if (e instanceof ObscuraException) {
      return m;
    }
    if (e instanceof NoSuchFileException) {
      return "no such file: " + m;
    }
    if (e instanceof FileAlreadyExistsException) {
      return "file exists: " + m;
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + m;
    }
    if (e instanceof NoSuchObjectException) {
      return m;
    }
    if (e instanceof RelayRefusedException) {
      return "refused by relay: " + m;
    }
    if (e instanceof RelayClosedException) {
      return "relay connection ended: " + m;
    }
    if (e instanceof IOException) {
      return "I/O error: " + m;
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
