package fr.sante.workbench.anonymisation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public manifest of published records.
 *
 * @param policyJson the policy as the audit entry records it
 * @param quasiIdentifiers the columns whose combinations form the equivalence classes
 * @param k the smallest class allowed
 * @param sensitive sensitive column to l (distinct values per class)
 * @param rules the rules in words
 * @param recordsPublished lines of {@code records.csv}
 */
public record RecordsManifest(
    Provenance provenance,
    String policyJson,
    List<String> quasiIdentifiers,
    int k,
    Map<String, Integer> sensitive,
    String rules,
    long recordsPublished,
    Generalisation generalisation,
    RiskReport riskBefore,
    RiskReport riskAfter,
    Map<String, String> sha256)
    implements Manifest {
  public RecordsManifest {
    quasiIdentifiers = List.copyOf(quasiIdentifiers);
    sensitive = Collections.unmodifiableMap(new LinkedHashMap<>(sensitive));
    sha256 = Collections.unmodifiableMap(new TreeMap<>(sha256));
  }

  public RecordsManifest withFiles(Map<String, String> files) {
    return new RecordsManifest(provenance, policyJson, quasiIdentifiers, k, sensitive, rules, recordsPublished, generalisation, riskBefore, riskAfter, files);
  }
}
