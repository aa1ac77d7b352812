package fr.sante.workbench.cli;

import fr.sante.workbench.generate.GenerateOpenMedic;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench generate openmedic --year Y --rows N --seed S --out DIR}. */
@Command(
    name = "openmedic",
    mixinStandardHelpOptions = true,
    description = {
      "Write a synthetic Open Medic year in the real dialect.",
      "OPEN_MEDIC_<yyyy>.zip holding OPEN_MEDIC_<yyyy>.CSV, cp1252, CRLF, ';', French decimals (1.234,56)."
    })
public final class GenerateOpenMedicCommand implements Callable<Integer> {
  @Option(names = "--year", required = true, paramLabel = "YYYY", description = "Year of dispensing.")
  int year;

  @Option(names = "--rows", defaultValue = "20000", paramLabel = "N", description = "Lines at most (default: ${DEFAULT-VALUE}; a real year has a few million).")
  long rows;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed; the same seed gives identical files (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (rows < 1 || year < 2000 || year > 2100) {
      throw new ParameterException(spec.commandLine(), "Invalid --rows " + rows + " or --year " + year + " (expected rows >= 1 and a year such as 2024)");
    }
    Path zip = GenerateOpenMedic.write(out, year, rows, seed);
    spec.commandLine().getOut().println("Wrote " + zip);
    return 0;
  }
}
