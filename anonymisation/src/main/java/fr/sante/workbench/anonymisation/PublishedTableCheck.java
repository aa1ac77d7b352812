package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.schemas.CsvLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-checks a published export from its files alone, for the DPO: every file's SHA-256 against the
 * audit entry, then for a table the CSV against the manifest's copy of the published cells, no published
 * count below the threshold, and every primary cell's LP interval on the published table; for records the
 * class sizes and diversity ({@link PublishedRecordsCheck}). Returns what is wrong, precisely.
 */
public final class PublishedTableCheck {
  private PublishedTableCheck() {}

  /**
   * A table protected by hypercubes: every primary cell is hidden with all the corners of its certified cube
   * (the corners' sizes were checked on the true values by the gate; the files hold no hidden value).
   */
  private static void checkCubes(JsonNode manifest, Set<List<String>> hidden, int dims, List<String> problems) {
    JsonNode certificates = manifest.path("certificates");
    for (JsonNode primary : manifest.path("primary")) {
      List<String> key = List.of(primary.asText().split("\\|", -1));
      JsonNode partner = certificates.get(primary.asText());
      if (partner == null) {
        problems.add("Cell " + key + " has no protection certificate in the manifest");
        continue;
      }
      List<String> other = List.of(partner.asText().split("\\|", -1));
      for (int mask = 0; mask < (1 << dims); mask++) {
        List<String> corner = new ArrayList<>(key);
        for (int d = 0; d < dims; d++) {
          if ((mask & (1 << d)) != 0) {
            corner.set(d, other.get(d));
          }
        }
        if (!hidden.contains(corner)) {
          problems.add("Cell " + key + " is under-protected: cell " + corner + " of its cube is published");
          break;
        }
      }
    }
  }

  private static void addUnpublishedMargins(int dims, Map<List<String>, Long> cells, Set<List<String>> hidden, List<Map<List<String>, Long>> amounts) {
    List<List<String>> inner = new ArrayList<>(cells.keySet());
    for (List<String> key : inner) {
      for (int mask = 1; mask < (1 << dims); mask++) {
        List<String> margin = new ArrayList<>(key);
        for (int d = 0; d < dims; d++) {
          if ((mask & (1 << d)) != 0) {
            margin.set(d, FrequencyTable.TOTAL);
          }
        }
        List<String> fixed = List.copyOf(margin);
        if (cells.putIfAbsent(fixed, 0L) == null) {
          hidden.add(fixed);
          amounts.forEach(a -> a.put(fixed, 0L));
        }
      }
    }
  }

  public static List<String> check(Path outDir, Map<String, String> expectedHashes) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> file : expectedHashes.entrySet()) {
      Path path = outDir.resolve(file.getKey());
      try {
        if (!Files.exists(path)) {
          problems.add("File " + path + " is missing");
        } else if (!Exports.sha256(path).equals(file.getValue())) {
          problems.add("File " + path + " was altered (SHA-256 differs from the audit log)");
        }
      } catch (IOException e) {
        problems.add("File " + path + " cannot be read: " + e.getMessage());
      }
    }
    Path manifestPath = outDir.resolve(Exports.MANIFEST_FILE);
    if (!Files.exists(manifestPath)) {
      return problems;
    }
    JsonNode manifest;
    try {
      manifest = new ObjectMapper().readTree(manifestPath.toFile());
    } catch (IOException e) {
      problems.add("Cannot read " + manifestPath + ": " + e.getMessage());
      return problems;
    }
    if ("microdata".equals(manifest.path("kind").asText())) {
      Path records = outDir.resolve(Exports.RECORDS_FILE);
      if (Files.exists(records)) {
        try {
          problems.addAll(PublishedRecordsCheck.check(records, manifest));
        } catch (IOException | RuntimeException e) {
          problems.add("Cannot re-check " + records + ": " + e.getMessage());
        }
      }
      return problems;
    }
    Path csvPath = outDir.resolve(Exports.TABLE_FILE);
    if (!Files.exists(csvPath)) {
      return problems;
    }
    try {
      List<String> dimensions = new ArrayList<>();
      manifest.path("policy").path("dimensions").forEach(d -> dimensions.add(d.asText()));
      int minCount = manifest.path("policy").path("min-count").asInt(SuppressionPolicy.DEFAULT_MIN_COUNT);
      int rounding = manifest.path("policy").path("rounding").asInt(1);
      SuppressionPolicy policy =
          new SuppressionPolicy(minCount, SuppressionPolicy.Zeros.valueOf(manifest.path("policy").path("zeros").asText("publish").toUpperCase(java.util.Locale.ROOT)));
      List<String> amountColumns = new ArrayList<>();
      manifest.path("policy").path("amount-columns").forEach(a -> amountColumns.add(a.asText()));
      Map<List<String>, Long> cells = new LinkedHashMap<>();
      List<Map<List<String>, Long>> amounts = new ArrayList<>();
      amountColumns.forEach(a -> amounts.add(new LinkedHashMap<>()));
      Set<List<String>> hidden = new HashSet<>();
      List<String> lines = Files.readAllLines(csvPath, StandardCharsets.UTF_8);
      int width = dimensions.size() + 2 + amountColumns.size();
      for (int i = 1; i < lines.size(); i++) {
        List<String> fields = CsvLines.split(lines.get(i), ',');
        if (fields.size() != width) {
          problems.add("Line " + (i + 1) + " of " + csvPath + " has " + fields.size() + " fields, expected " + width);
          continue;
        }
        List<String> key = List.copyOf(fields.subList(0, dimensions.size()));
        String value = fields.get(dimensions.size());
        boolean suppressed = Boolean.parseBoolean(fields.get(width - 1));
        for (int j = 0; j < amountColumns.size(); j++) {
          String amount = fields.get(dimensions.size() + 1 + j);
          amounts.get(j).put(key, suppressed || amount.isEmpty() ? 0L : new java.math.BigDecimal(amount).movePointRight(2).longValueExact());
          if (suppressed && !amount.isEmpty()) {
            problems.add("Cell " + key + " is marked suppressed but shows an amount (line " + (i + 1) + ")");
          }
        }
        if (suppressed) {
          hidden.add(key);
          cells.put(key, 0L);
          if (!value.isEmpty()) {
            problems.add("Cell " + key + " is marked suppressed but shows a value (line " + (i + 1) + ")");
          }
          continue;
        }
        long count = Long.parseLong(value);
        cells.put(key, count);
        JsonNode expected = manifest.path("published").get(String.join("|", key));
        if (expected == null) {
          problems.add("Cell " + key + " is published but the manifest recorded it as suppressed (line " + (i + 1) + ")");
        } else if (expected.asLong() != count) {
          problems.add("Cell " + key + " was altered: " + count + " in the file, " + expected.asLong() + " when exported (line " + (i + 1) + ")");
        }
        if (rounding > 1 && count % rounding != 0) {
          problems.add("Cell " + key + " is published as " + count + ", not a multiple of the rounding base " + rounding + " (line " + (i + 1) + ")");
        }
        if (count == 0 ? policy.isSmall(0) : count < IntervalVerifier.round(minCount, rounding)) {
          problems.add("Cell " + key + " is published with a small count " + count + " (min count " + minCount + ")");
        }
      }
      if (!manifest.path("policy").path("margins").asBoolean(true)) {
        // margins not published: unknowns for the attacker (the gate protected as if they were known)
        addUnpublishedMargins(dimensions.size(), cells, hidden, amounts);
      }
      FrequencyTable table = FrequencyTable.fromCells(dimensions, cells);
      if ("hypercube".equals(manifest.path("method").asText())) {
        checkCubes(manifest, hidden, dimensions.size(), problems);
        return problems;
      }
      Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, hidden, rounding);
      // small counts: the interval reaches the threshold and is not a point
      for (JsonNode primary : manifest.has("primary_small") ? manifest.path("primary_small") : manifest.path("primary")) {
        List<String> key = List.of(primary.asText().split("\\|", -1));
        Interval interval = intervals.get(key);
        if (interval == null) {
          problems.add("Cell " + key + " should be suppressed (small) but is published");
        } else if (!interval.protects(minCount)) {
          problems.add("Cell " + key + " is under-protected: the published table pins it to " + interval);
        }
      }
      // dominated amounts: not pinned by the published amounts (the protection level itself depends on the
      // contributions, which the files do not hold: the gate checked it on the true values)
      for (int j = 0; j < amountColumns.size() && manifest.has("primary_dominance"); j++) {
        Map<List<String>, Interval> amountIntervals = IntervalVerifier.intervals(FrequencyTable.fromCells(dimensions, amounts.get(j)), hidden);
        for (JsonNode dominated : manifest.path("primary_dominance")) {
          List<String> key = List.of(dominated.asText().split("\\|", -1));
          Interval interval = amountIntervals.get(key);
          if (interval == null) {
            problems.add("Cell " + key + " should be suppressed (dominated " + amountColumns.get(j) + ") but is published");
          } else if (interval.high() - interval.low() < 1 - Interval.EPSILON) {
            problems.add("Cell " + key + " is under-protected: the published amounts pin its " + amountColumns.get(j));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add("Cannot re-check " + csvPath + ": " + e.getMessage());
    }
    return problems;
  }
}
