package fr.sante.workbench.cli;

import fr.sante.workbench.studies.DamirSelection;
import fr.sante.workbench.studies.TimeAxis;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which Open DAMIR lines a study reads (its breakdowns are {@link BreakdownOptions}). */
public final class SelectionOptions {
  /** The command these options belong to: a bad value is a usage error of that command. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  @Option(names = "--time", defaultValue = "care", paramLabel = "AXIS", description = "care (SOI_ANN/SOI_MOI) or processing (FLX_ANN_MOI) month (default: ${DEFAULT-VALUE}).")
  String time;

  @Option(names = "--from", paramLabel = "YYYY-MM", description = "First month (default: the first in the lake).")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM", description = "Last month (default: the last in the lake).")
  String to;

  @Option(names = "--scope", defaultValue = "ps5", paramLabel = "SCOPE", description = "ps5 (TOP_PS5_TRG = 1, CNAM's monthly statistics) or all (default: ${DEFAULT-VALUE}).")
  String scope;

  DamirSelection selection() {
    TimeAxis axis = Choices.parse(command, "--time", time, TimeAxis.class);
    DamirSelection.Scope theScope = Choices.parse(command, "--scope", scope, DamirSelection.Scope.class);
    return new DamirSelection(axis, month("--from", from), month("--to", to), theScope);
  }

  private Optional<YearMonth> month(String option, String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(YearMonth.parse(value));
    } catch (DateTimeParseException e) {
      throw new ParameterException(command.commandLine(), "Invalid " + option + " '" + value + "' (expected a month as YYYY-MM, e.g. 2024-01)");
    }
  }
}
