package fr.sante.workbench.anonymisation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public manifest of a published model: the rules it passed, its family, the reference level and number of levels
 * of each factor, how many non-empty cells it was fitted on, its parameters and residual degrees of freedom, and every
 * line of {@code coefficients.csv} (so that {@code audit verify} can name a value changed in the file).
 *
 * @param coefficients the lines of {@code coefficients.csv} after its header, as written
 */
public record ModelManifest(
    Provenance provenance,
    ModelPolicy policy,
    String family,
    Map<String, String> references,
    Map<String, Integer> levels,
    long cells,
    int parameters,
    long residualDf,
    double dispersion,
    List<List<String>> coefficients,
    Map<String, String> sha256)
    implements Manifest {
  public ModelManifest {
    references = Collections.unmodifiableMap(new LinkedHashMap<>(references));
    levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    coefficients = coefficients.stream().map(List::copyOf).toList();
    sha256 = Collections.unmodifiableMap(new TreeMap<>(sha256));
  }

  public ModelManifest withFiles(Map<String, String> files) {
    return new ModelManifest(provenance, policy, family, references, levels, cells, parameters, residualDf, dispersion, coefficients, files);
  }
}
