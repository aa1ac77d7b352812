package fr.sante.workbench.anonymisation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Re-checks a published model from its files: {@code coefficients.csv} against the manifest's copy of its lines, one
 * intercept and one coefficient per non-reference level of each factor (never the reference, never twice), finite
 * estimates with positive standard errors, and the residual degrees of freedom (non-empty cells less parameters) at
 * least the policy's, so never a saturated model. The levels' units were checked against the lake when the gate
 * published; the manifest gives only how many levels each factor has.
 */
final class PublishedModelCheck {
  private PublishedModelCheck() {}

  static List<String> check(Path csv, ModelManifest manifest) throws IOException {
    List<String> problems = new java.util.ArrayList<>();
    List<List<String>> lines = CoefficientsCsv.read(csv);
    if (!lines.equals(manifest.coefficients())) {
      for (int i = 0; i < Math.max(lines.size(), manifest.coefficients().size()); i++) {
        List<String> file = i < lines.size() ? lines.get(i) : null;
        List<String> listed = i < manifest.coefficients().size() ? manifest.coefficients().get(i) : null;
        if (!java.util.Objects.equals(file, listed)) {
          problems.add("Line " + (i + 2) + " of " + csv + " is " + file + " but the manifest lists " + listed);
        }
      }
    }
    ModelPolicy policy = manifest.policy();
    int expected = 1 + manifest.levels().values().stream().mapToInt(n -> n - 1).sum();
    if (manifest.parameters() != expected || lines.size() != expected) {
      problems.add(String.format(Locale.ROOT, "%s holds %d coefficients and the manifest says %d parameters; its factors' levels %s give %d", csv, lines.size(),
          manifest.parameters(), manifest.levels(), expected));
    }
    if (manifest.residualDf() != manifest.cells() - manifest.parameters()) {
      problems.add(String.format(Locale.ROOT, "the manifest's residual degrees of freedom %d are not its %d cells less %d parameters", manifest.residualDf(),
          manifest.cells(), manifest.parameters()));
    }
    if (manifest.residualDf() < policy.minResidualDf()) {
      problems.add(String.format(Locale.ROOT, "%d residual degrees of freedom, fewer than the policy's %d (a saturated or nearly saturated model gives back its cells)",
          manifest.residualDf(), policy.minResidualDf()));
    }
    Set<String> terms = new HashSet<>();
    int intercepts = 0;
    for (List<String> line : lines) {
      if (line.size() != CoefficientsCsv.HEADER.size()) {
        problems.add("Line " + line + " of " + csv + " has " + line.size() + " fields, expected " + CoefficientsCsv.HEADER.size());
        continue;
      }
      String term = line.get(0);
      String factor = line.get(1);
      String level = line.get(2);
      if (!terms.add(term)) {
        problems.add("Coefficient " + term + " appears twice in " + csv);
      }
      if (factor.isEmpty()) {
        intercepts++;
      } else if (!policy.factors().contains(factor)) {
        problems.add("Coefficient " + term + " names '" + factor + "', not a factor of the policy " + policy.factors());
      } else if (level.equals(manifest.references().get(factor)) || !line.get(3).equals(manifest.references().get(factor))) {
        problems.add("Coefficient " + term + " is the reference level of " + factor + " or names another reference than the manifest's '" + manifest.references().get(factor) + "'");
      }
      try {
        double estimate = Double.parseDouble(line.get(4));
        double se = Double.parseDouble(line.get(5));
        if (!Double.isFinite(estimate) || !(se > 0) || !Double.isFinite(se)) {
          problems.add("Coefficient " + term + " has estimate " + line.get(4) + " and standard error " + line.get(5) + " (expected a finite estimate and a positive error)");
        }
      } catch (NumberFormatException e) {
        problems.add("Coefficient " + term + " has estimate '" + line.get(4) + "' and standard error '" + line.get(5) + "' (expected numbers)");
      }
    }
    if (intercepts != 1) {
      problems.add(csv + " holds " + intercepts + " intercepts, expected 1");
    }
    for (Map.Entry<String, Integer> factor : manifest.levels().entrySet()) {
      long given = lines.stream().filter(l -> l.size() > 1 && l.get(1).equals(factor.getKey())).count();
      if (given != factor.getValue() - 1) {
        problems.add(String.format(Locale.ROOT, "%s has %d levels in the manifest but %d coefficients in %s (expected one per level but the reference)", factor.getKey(),
            factor.getValue(), given, csv));
      }
    }
    return problems;
  }
}
