package fr.sante.workbench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench ingest <dataset>}. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Load source files into the lake's Delta tables.",
    subcommands = {IngestDamirCommand.class, IngestAldCommand.class, IngestPopulationCommand.class, IngestOpenMedicCommand.class})
public final class IngestCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing dataset: choose one of " + spec.subcommands().keySet());
  }
}
