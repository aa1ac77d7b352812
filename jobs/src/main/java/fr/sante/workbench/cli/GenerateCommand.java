package fr.sante.workbench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench generate <dataset>}. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Write synthetic source files in the real formats (for demos, students, tests and benchmarks).",
    subcommands = {GenerateDamirCommand.class, GenerateOpenMedicCommand.class})
public final class GenerateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing dataset: choose one of " + spec.subcommands().keySet());
  }
}
