package fr.sante.workbench.cli;

import fr.sante.workbench.anonymisation.SuppressionPolicy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out} and the small-cell rule of every study. */
public final class StudyOutputOptions {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not exist or be empty).")
  Path out;

  @Option(
      names = "--min-count",
      defaultValue = "" + SuppressionPolicy.DEFAULT_MIN_COUNT,
      paramLabel = "N",
      description = "No published count below N (default: ${DEFAULT-VALUE}).")
  int minCount;

  SuppressionPolicy suppression() {
    return new SuppressionPolicy(minCount, SuppressionPolicy.Zeros.PUBLISH);
  }
}
