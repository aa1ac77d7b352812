package fr.sante.workbench.cli;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.studies.DamirAxis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The breakdowns of a table-publishing Open DAMIR study ({@code --by}); the model study has fixed covariates instead. */
public final class BreakdownOptions {
  /** The command these options belong to: an unknown dimension is a usage error of that command. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  @Option(
      names = "--by",
      paramLabel = "DIMS",
      description = {
        "A breakdown, dimensions joined by +, e.g. --by region --by age+sex (repeat; replaces the defaults).",
        "Dimensions: region, age, sex, family, speciality, envelope, prescriber-speciality, prescriber-status,"
            + " prescribing-establishment, rate-class, ald-exemption, pharmacy-line (the prescription study always publishes by-pharmacy-line)."
      })
  List<String> by;

  /** The breakdowns given, or {@code defaults}. */
  List<List<DamirAxis>> breakdowns(List<List<DamirAxis>> defaults) {
    if (by == null || by.isEmpty()) {
      return defaults;
    }
    List<List<DamirAxis>> out = new ArrayList<>();
    for (String breakdown : by) {
      try {
        out.add(Arrays.stream(breakdown.split("\\+")).map(DamirAxis::parse).toList());
      } catch (WorkbenchException e) {
        throw new ParameterException(command.commandLine(), "Invalid --by '" + breakdown + "': " + e.getMessage());
      }
    }
    return out;
  }
}
