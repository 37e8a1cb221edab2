package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.StreamId;
import dev.obscura.transport.nats.NatsCredentials;
import dev.obscura.transport.nats.NatsSubjects;
import dev.obscura.transport.nats.NatsUserCreds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "nats",
    description = {
      "Mint NATS credentials for live view over a NATS JetStream cluster, as a vendor backend does (docs/nats.md).",
      "One operator key, an account per household, a user per camera and per viewer device, each allowed only its own subjects.",
      "The servers hold no Obscura key: these credentials only decide who may route what."
    },
    subcommands = {NatsCommand.Operator.class, NatsCommand.ServerConfig.class, NatsCommand.Creds.class})
final class NatsCommand {
  static final String OPERATOR_NAME = "obscura";

  static NatsCredentials operator(Path file) throws Exception {
    return NatsCredentials.readOperatorKey(file, OPERATOR_NAME);
  }

  static String household(String h) {
    try {
      return NatsSubjects.household(h);
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --household: " + e.getMessage());
    }
  }

  @Command(name = "operator", description = {
      "Create a new operator key (a secret, written owner-only) and print its public key."})
  static final class Operator implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Operator key file to create (must not exist).")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      NatsCredentials op = NatsCredentials.createOperator(OPERATOR_NAME);
      try {
        op.writeOperatorKey(out);
        spec.commandLine().getOut().printf("wrote the operator key to %s%noperator: %s%n", out, op.operatorPublicKey());
      } finally {
        op.destroy();
      }
      return 0;
    }
  }

  @Command(name = "server-config", description = {
      "Print the nats-server configuration lines that trust the operator and preload the households' accounts.",
      "They are operator, system_account, resolver: MEMORY and resolver_preload; include them in every node's configuration."})
  static final class ServerConfig implements Callable<Integer> {
    @Option(names = "--operator-key", required = true, paramLabel = "FILE", description = "The operator key file.")
    Path operatorKey;

    @Option(names = "--household", required = true, split = ",", paramLabel = "H", description = "Households to preload (comma-separated or repeated).")
    List<String> households;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      List<String> hs = new ArrayList<>();
      for (String h : households) {
        hs.add(household(h));
      }
      NatsCredentials op = operator(operatorKey);
      try {
        spec.commandLine().getOut().print(op.serverConfig(hs));
      } finally {
        op.destroy();
      }
      return 0;
    }
  }

  @Command(name = "creds", description = {
      "Mint a .creds file for a camera (it may publish its own stream only) or for a viewer device.",
      "A viewer may subscribe to the household's cameras, or to those given with --cameras."})
  static final class Creds implements Callable<Integer> {
    @Option(names = "--household", required = true, paramLabel = "H", description = "The household.")
    String household;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    static final class Who {
      @Option(names = "--camera", required = true, paramLabel = "C", description = "A camera's stream name.")
      String camera;

      @Option(names = "--viewer", required = true, paramLabel = "V", description = "A viewer device's name.")
      String viewer;
    }

    @Option(names = "--cameras", split = ",", paramLabel = "C", description = "With --viewer: only these cameras (default: every camera of the household).")
    List<String> cameras;

    @Option(names = "--operator-key", required = true, paramLabel = "FILE", description = "The operator key file.")
    Path operatorKey;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = ".creds file to create (must not exist; written owner-only).")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String h = household(household);
      if (who.camera != null && cameras != null) {
        throw new CliException(Outcome.USAGE, "--cameras goes with --viewer");
      }
      NatsCredentials op = operator(operatorKey);
      NatsUserCreds creds;
      try {
        if (who.camera != null) {
          creds = op.camera(h, Stores.parseStream(who.camera));
        } else {
          String v;
          try {
            v = NatsSubjects.user(who.viewer);
          } catch (IllegalArgumentException e) {
            throw new CliException(Outcome.USAGE, "invalid --viewer: " + e.getMessage());
          }
          List<StreamId> ids = new ArrayList<>();
          if (cameras != null) {
            for (String c : cameras) {
              ids.add(Stores.parseStream(c));
            }
          }
          creds = op.viewer(h, v, ids.toArray(new StreamId[0]));
        }
      } finally {
        op.destroy();
      }
      try {
        creds.write(out);
      } finally {
        creds.destroy();
      }
      PrintWriter o = spec.commandLine().getOut();
      o.printf("wrote credentials of %s (household %s) to %s%n", creds.userName(), h, out);
      return 0;
    }
  }
}
