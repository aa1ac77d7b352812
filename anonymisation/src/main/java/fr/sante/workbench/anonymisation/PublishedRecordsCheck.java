package fr.sante.workbench.anonymisation;

import fr.sante.workbench.schemas.CsvLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-checks a published {@code records.csv} from the file alone: every equivalence class of the
 * quasi-identifiers holds at least k records and l distinct values of each sensitive column (an empty field, a null,
 * is no value: as the gate counts), and the file holds the number of records the manifest announces. Memory grows with the classes, not the records.
 */
final class PublishedRecordsCheck {
  private static final int MAX_NAMED = 5;

  private PublishedRecordsCheck() {}

  static List<String> check(Path csv, RecordsManifest manifest) throws IOException {
    List<String> problems = new ArrayList<>();
    int k = manifest.k();
    List<String> qis = manifest.quasiIdentifiers();
    Map<String, Integer> sensitive = manifest.sensitive();
    Map<List<String>, long[]> sizes = new HashMap<>();
    Map<String, Map<List<String>, Set<String>>> values = new HashMap<>();
    long records = 0;
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String headerLine = in.readLine();
      if (headerLine == null) {
        problems.add("File " + csv + " has no header");
        return problems;
      }
      List<String> header = CsvLines.split(headerLine, ',');
      int[] qiIndex = new int[qis.size()];
      for (int t = 0; t < qis.size(); t++) {
        qiIndex[t] = header.indexOf(qis.get(t));
        if (qiIndex[t] < 0) {
          problems.add("File " + csv + " has no column '" + qis.get(t) + "' (a quasi-identifier of the policy)");
          return problems;
        }
      }
      Map<String, Integer> sensitiveIndex = new HashMap<>();
      for (Map.Entry<String, Integer> s : sensitive.entrySet()) {
        int index = header.indexOf(s.getKey());
        if (index < 0) {
          // without the column no class can be shown l-diverse: said as such, not as classes of one blank value
          problems.add("File " + csv + " has no column '" + s.getKey() + "' (a sensitive column of the policy, l = " + s.getValue() + "): its l-diversity cannot be checked");
          continue;
        }
        sensitiveIndex.put(s.getKey(), index);
        values.put(s.getKey(), new HashMap<>());
      }
      String line;
      while ((line = in.readLine()) != null) {
        records++;
        List<String> fields = CsvLines.split(line, ',');
        if (fields.size() != header.size()) {
          problems.add("Line " + (records + 1) + " of " + csv + " has " + fields.size() + " fields, expected " + header.size());
          continue;
        }
        List<String> key = new ArrayList<>(qiIndex.length);
        for (int index : qiIndex) {
          key.add(fields.get(index));
        }
        sizes.computeIfAbsent(key, x -> new long[1])[0]++;
        for (Map.Entry<String, Integer> s : sensitiveIndex.entrySet()) {
          Set<String> distinct = values.get(s.getKey()).computeIfAbsent(key, x -> new HashSet<>());
          String value = fields.get(s.getValue());
          // an empty field is a null (RecordsCsv writes nulls empty), and a null is no value (LDiversity, as the gate counts):
          // a class of one diagnosis and blanks is 1-diverse
          if (!value.isEmpty()) {
            distinct.add(value);
          }
        }
      }
    }
    long expected = manifest.recordsPublished();
    if (expected != records) {
      problems.add("File " + csv + " holds " + records + " records, the manifest announces " + expected);
    }
    List<String> small = new ArrayList<>();
    for (Map.Entry<List<String>, long[]> c : sizes.entrySet()) {
      if (c.getValue()[0] < k) {
        small.add(c.getKey() + " (" + c.getValue()[0] + " records)");
      }
    }
    if (!small.isEmpty()) {
      problems.add(small.size() + " classes of " + csv + " have fewer than k = " + k + " records, e.g. " + String.join(", ", small.subList(0, Math.min(MAX_NAMED, small.size()))));
    }
    for (Map.Entry<String, Integer> s : sensitive.entrySet()) {
      if (!values.containsKey(s.getKey())) {
        continue;
      }
      List<String> poor = new ArrayList<>();
      for (Map.Entry<List<String>, Set<String>> c : values.get(s.getKey()).entrySet()) {
        if (c.getValue().size() < s.getValue()) {
          poor.add(c.getKey() + " (" + c.getValue().size() + " distinct)");
        }
      }
      if (!poor.isEmpty()) {
        problems.add(
            poor.size() + " classes of " + csv + " have fewer than l = " + s.getValue() + " distinct values of '" + s.getKey() + "', e.g. "
                + String.join(", ", poor.subList(0, Math.min(MAX_NAMED, poor.size()))));
      }
    }
    return problems;
  }
}
