package dev.obscura.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code camera}, {@code device}, {@code recovery}): run
 * alone, it is a usage error that names them.
 */
abstract class GroupCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
      if (e.getKey().equals(e.getValue().getCommandName())) { // not an alias
        names.add(e.getKey());
      }
    }
    String last = names.remove(names.size() - 1);
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: "
        + (names.isEmpty() ? "" : String.join(", ", names) + " or ") + last);
  }
}
