package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one codec of {@code manifest.json} and of the DPO's {@link ProtectionDetail}: every key name is here,
 * for writing and reading. Cells are JSON arrays of their coordinates (a category may hold any character).
 * Manifests written before the detail moved to the audit entry (cells as {@code "a|b"} strings, the primary
 * and secondary lists in the manifest) are still read, so that old exports keep verifying.
 */
public final class Manifests {
  private static final String KIND = "kind";
  private static final String TABLE = "table";
  private static final String MICRODATA = "microdata";
  private static final String MODEL = "model";
  private static final String FAMILY = "family";
  private static final String REFERENCES = "reference_levels";
  private static final String LEVELS = "levels";
  private static final String PARAMETERS = "parameters";
  private static final String RESIDUAL_DF = "residual_df";
  private static final String DISPERSION = "dispersion";
  private static final String COEFFICIENTS = "coefficients";
  private static final String DESCRIPTION = "description";
  private static final String INPUTS = "inputs";
  private static final String POLICY = "policy";
  private static final String COUNTS = "counts";
  private static final String CELLS = "cells";
  private static final String CELLS_HIDDEN = "cells_hidden";
  private static final String MASKED = "masked_at_source";
  private static final String PUBLIC_SOURCE = "public_source";
  private static final String PUBLIC_CELLS = "public_cells";
  private static final String CELLS_PRIMARY = "cells_primary";
  private static final String CELLS_SECONDARY = "cells_secondary";
  private static final String SECONDARY_LOSS = "secondary_loss";
  private static final String METHOD = "method";
  private static final String RESIDUAL_RISK = "residual_risk";
  private static final String PUBLISHED = "published";
  private static final String CELL = "cell";
  private static final String COUNT = "count";
  private static final String SHA256 = "sha256";
  private static final String VERSION = "workbench_version";
  private static final String USER = "user";
  private static final String TIME = "time";
  private static final String RULES = "rules";
  private static final String RECORDS_PUBLISHED = "records_published";
  private static final String GENERALISATION = "generalisation";
  private static final String RISK_BEFORE = "risk_before";
  private static final String RISK_AFTER = "risk_after";
  private static final String PRIMARY = "primary";
  private static final String PRIMARY_SMALL = "primary_small";
  private static final String PRIMARY_DOMINANCE = "primary_dominance";
  private static final String SECONDARY = "secondary";
  private static final String CERTIFICATES = "certificates";
  private static final String PARTNER = "partner";
  private static final String INTERVALS = "intervals";
  private static final String LOW = "low";
  private static final String LINK = "link";
  private static final String GROUP = "group";
  private static final String DIMENSIONS = "dimensions";
  private static final String SMALL = "small";
  private static final String HIGH = "high";
  private static final String LEGACY_SEPARATOR = "\\|";

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private Manifests() {}

  /** The manifest's text (pretty-printed JSON). */
  public static String write(Manifest manifest) {
    ObjectNode root = JSON.createObjectNode();
    Provenance p = manifest.provenance();
    if (manifest instanceof TableManifest t) {
        root.put(KIND, TABLE);
        head(root, p, t.policy().toJson());
        root.put(COUNTS, t.policy().unit().name().toLowerCase(Locale.ROOT));
        root.put(CELLS, t.cells());
        root.put(CELLS_HIDDEN, t.cellsHidden());
        if (!t.masked().isEmpty()) {
          ArrayNode masked = root.putArray(MASKED);
          t.masked().forEach(key -> masked.add(cell(key)));
        }
        if (!t.publicSource().isEmpty()) {
          root.put(PUBLIC_SOURCE, t.publicSource());
          ArrayNode open = root.putArray(PUBLIC_CELLS);
          t.publicCells().forEach(key -> open.add(cell(key)));
        }
        root.put(METHOD, t.method().name().toLowerCase(Locale.ROOT));
        // public: what anyone can check from the file; the per-cell intervals stay in the audit entry
        root.putObject(RESIDUAL_RISK).put("published_small_cells", 0).put("note", t.method() == ProtectionMethod.LP
            ? "every small cell's interval, computed by LP from the published table, reaches min-count and is not a point (per-cell intervals: audit show, for the DPO)"
            : "each small cell is hidden in a cube that lets it reach min-count without changing any published total");
        ArrayNode published = root.putArray(PUBLISHED);
        t.published().forEach((key, value) -> {
          ObjectNode cell = published.addObject();
          cell.set(CELL, cell(key));
          cell.put(COUNT, value);
        });
    } else if (manifest instanceof ModelManifest m) {
        root.put(KIND, MODEL);
        head(root, p, m.policy().toJson());
        root.put(RULES, m.policy().describe());
        root.put(COUNTS, m.policy().unit().name().toLowerCase(Locale.ROOT));
        root.put(FAMILY, m.family());
        ObjectNode references = root.putObject(REFERENCES);
        m.references().forEach(references::put);
        ObjectNode levels = root.putObject(LEVELS);
        m.levels().forEach(levels::put);
        root.put(CELLS, m.cells());
        root.put(PARAMETERS, m.parameters());
        root.put(RESIDUAL_DF, m.residualDf());
        root.put(DISPERSION, m.dispersion());
        ArrayNode coefficients = root.putArray(COEFFICIENTS);
        m.coefficients().forEach(line -> coefficients.add(cell(line)));
    } else if (manifest instanceof RecordsManifest r) {
        root.put(KIND, MICRODATA);
        head(root, p, r.policyJson());
        root.put(RULES, r.rules());
        root.put(COUNTS, "records");
        root.put(RECORDS_PUBLISHED, r.recordsPublished());
        root.set(GENERALISATION, generalisation(r.generalisation()));
        root.set(RISK_BEFORE, risk(r.riskBefore()));
        root.set(RISK_AFTER, risk(r.riskAfter()));
    }
    ObjectNode hashes = root.putObject(SHA256);
    manifest.sha256().forEach(hashes::put);
    root.put(VERSION, p.workbenchVersion());
    root.put(USER, p.user());
    root.put(TIME, p.time());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write a manifest as JSON", e);
    }
  }

  private static List<List<String>> maskedCells(JsonNode array) {
    List<List<String>> out = new java.util.ArrayList<>();
    array.forEach(c -> out.add(cell(c)));
    return out;
  }

  /** Reads a {@code manifest.json}; a file that is not one is an error naming what was expected. */
  public static Manifest read(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new AnonymisationException("Expected a JSON object in " + file);
    }
    String kind = root.path(KIND).asText("");
    Provenance provenance =
        new Provenance(root.path(DESCRIPTION).asText(""), longs(root.path(INPUTS)), root.path(VERSION).asText(""), root.path(USER).asText(""), root.path(TIME).asText(""));
    Map<String, String> files = new TreeMap<>();
    root.path(SHA256).fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
    switch (kind) {
      case TABLE -> {
        ExportPolicy policy = ExportPolicy.fromJson(root.path(POLICY), file.toString());
        Map<List<String>, Long> published = new LinkedHashMap<>();
        JsonNode cells = root.path(PUBLISHED);
        if (cells.isObject()) {
          cells.fields().forEachRemaining(e -> published.put(legacyCell(e.getKey()), e.getValue().asLong()));
        } else {
          cells.forEach(c -> published.put(cell(c.path(CELL)), c.path(COUNT).asLong()));
        }
        return new TableManifest(
            provenance, policy, root.path(CELLS).asLong(),
            // manifests written before the split moved to the audit entry gave both counts
            root.has(CELLS_HIDDEN) ? root.path(CELLS_HIDDEN).asLong() : root.path(CELLS_PRIMARY).asLong() + root.path(CELLS_SECONDARY).asLong(),
            ProtectionMethod.valueOf(root.path(METHOD).asText("lp").toUpperCase(Locale.ROOT)), published, files, maskedCells(root.path(MASKED)),
            root.path(PUBLIC_SOURCE).asText(""), maskedCells(root.path(PUBLIC_CELLS)));
      }
      case MICRODATA -> {
        JsonNode policy = root.path(POLICY);
        List<String> qis = new ArrayList<>();
        policy.path("quasi-identifiers").fieldNames().forEachRemaining(qis::add);
        Map<String, Integer> sensitive = new LinkedHashMap<>();
        policy.path("sensitive").fields().forEachRemaining(e -> sensitive.put(e.getKey(), e.getValue().asInt()));
        return new RecordsManifest(
            provenance, policy.toString(), qis, policy.path("k").asInt(), sensitive, root.path(RULES).asText(""), root.path(RECORDS_PUBLISHED).asLong(-1),
            generalisation(root.path(GENERALISATION)), risk(root.path(RISK_BEFORE)), risk(root.path(RISK_AFTER)), files);
      }
      case MODEL -> {
        Map<String, String> references = new LinkedHashMap<>();
        root.path(REFERENCES).fields().forEachRemaining(e -> references.put(e.getKey(), e.getValue().asText()));
        Map<String, Integer> levels = new LinkedHashMap<>();
        root.path(LEVELS).fields().forEachRemaining(e -> levels.put(e.getKey(), e.getValue().asInt()));
        return new ModelManifest(
            provenance, ModelPolicy.fromJson(root.path(POLICY), file.toString()), root.path(FAMILY).asText(""), references, levels, root.path(CELLS).asLong(),
            root.path(PARAMETERS).asInt(), root.path(RESIDUAL_DF).asLong(), root.path(DISPERSION).asDouble(), cellList(root.path(COEFFICIENTS)), files);
      }
      default -> throw new AnonymisationException("Expected kind 'table', 'microdata' or 'model' in " + file + " but found '" + kind + "'");
    }
  }

  /** The DPO detail as JSON, for the audit entry. */
  public static String writeDetail(ProtectionDetail detail) {
    ObjectNode root = JSON.createObjectNode();
    root.set(PRIMARY, cells(detail.primary()));
    root.set(PRIMARY_SMALL, cells(detail.primarySmall()));
    root.set(PRIMARY_DOMINANCE, cells(detail.primaryDominance()));
    root.set(SECONDARY, cells(detail.secondary()));
    root.set(CERTIFICATES, partners(detail.certificates()));
    ArrayNode intervals = root.putArray(INTERVALS);
    detail.intervals().forEach((key, interval) -> {
      ObjectNode i = intervals.addObject();
      i.set(CELL, cell(key));
      i.put(LOW, interval.low());
      if (Double.isFinite(interval.high())) {
        i.put(HIGH, interval.high());
      } else {
        i.putNull(HIGH);
      }
    });
    if (detail.link() != null) {
      ProtectionDetail.Link link = detail.link();
      ObjectNode l = root.putObject(LINK);
      l.put(GROUP, link.group());
      l.set(DIMENSIONS, cell(link.dimensions()));
      l.put(METHOD, link.method().name().toLowerCase(Locale.ROOT));
      l.set(SMALL, cells(link.small()));
      l.set(CERTIFICATES, partners(link.certificates()));
    }
    return root.toString();
  }

  /** Reads what {@link #writeDetail} wrote. */
  public static ProtectionDetail readDetail(String json) {
    try {
      return detail(JSON.readTree(json), false);
    } catch (IOException e) {
      throw new AnonymisationException("Cannot read the protection detail of an audit entry: " + e.getMessage());
    }
  }

  /**
   * The detail an old manifest carried itself (before it moved to the audit entry), if {@code file} is one.
   */
  public static Optional<ProtectionDetail> legacyDetail(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    return root != null && root.has(PRIMARY) ? Optional.of(detail(root, true)) : Optional.empty();
  }

  /** The keys of the DPO detail, which a public manifest must not hold. */
  public static List<String> detailKeys() {
    return List.of(PRIMARY, PRIMARY_SMALL, PRIMARY_DOMINANCE, SECONDARY, CERTIFICATES, INTERVALS, LINK, CELLS_PRIMARY, CELLS_SECONDARY, SECONDARY_LOSS);
  }

  private static ProtectionDetail detail(JsonNode root, boolean legacy) {
    List<List<String>> primary = cellList(root.path(PRIMARY));
    Map<List<String>, List<String>> certificates = new LinkedHashMap<>();
    JsonNode c = root.path(CERTIFICATES);
    if (c.isObject()) {
      c.fields().forEachRemaining(e -> certificates.put(legacyCell(e.getKey()), legacyCell(e.getValue().asText())));
    } else {
      c.forEach(e -> certificates.put(cell(e.path(CELL)), cell(e.path(PARTNER))));
    }
    Map<List<String>, Interval> intervals = new LinkedHashMap<>();
    root.path(INTERVALS).forEach(i -> intervals.put(cell(i.path(CELL)), new Interval(i.path(LOW).asDouble(), i.path(HIGH).isNull() ? Double.POSITIVE_INFINITY : i.path(HIGH).asDouble())));
    // an old manifest listed primary_small only with a dominance rule: without one every primary cell is small
    List<List<String>> small = legacy && !root.has(PRIMARY_SMALL) ? primary : cellList(root.path(PRIMARY_SMALL));
    ProtectionDetail.Link link = null;
    JsonNode l = root.path(LINK);
    if (l.isObject()) {
      Map<List<String>, List<String>> partners = new LinkedHashMap<>();
      l.path(CERTIFICATES).forEach(e -> partners.put(cell(e.path(CELL)), cell(e.path(PARTNER))));
      link = new ProtectionDetail.Link(
          l.path(GROUP).asText(), cell(l.path(DIMENSIONS)), ProtectionMethod.valueOf(l.path(METHOD).asText().toUpperCase(Locale.ROOT)), cellList(l.path(SMALL)), partners);
    }
    return new ProtectionDetail(primary, small, cellList(root.path(PRIMARY_DOMINANCE)), cellList(root.path(SECONDARY)), certificates, intervals, link);
  }

  private static void head(ObjectNode root, Provenance p, String policyJson) {
    root.put(DESCRIPTION, p.description());
    ObjectNode inputs = root.putObject(INPUTS);
    p.inputs().forEach(inputs::put);
    try {
      root.set(POLICY, JSON.readTree(policyJson));
    } catch (IOException e) {
      throw new IllegalStateException("A policy's JSON cannot be read back: " + policyJson, e);
    }
  }

  /** Cube certificates: each small cell with its partner corner. */
  private static ArrayNode partners(Map<List<String>, List<String>> certificates) {
    ArrayNode array = JSON.createArrayNode();
    certificates.forEach((key, partner) -> {
      ObjectNode c = array.addObject();
      c.set(CELL, cell(key));
      c.set(PARTNER, cell(partner));
    });
    return array;
  }

  private static ArrayNode cells(List<List<String>> keys) {
    ArrayNode array = JSON.createArrayNode();
    keys.forEach(k -> array.add(cell(k)));
    return array;
  }

  private static ArrayNode cell(List<String> key) {
    ArrayNode array = JSON.createArrayNode();
    key.forEach(array::add);
    return array;
  }

  private static List<List<String>> cellList(JsonNode node) {
    List<List<String>> keys = new ArrayList<>();
    node.forEach(k -> keys.add(k.isTextual() ? legacyCell(k.asText()) : cell(k)));
    return keys;
  }

  private static List<String> cell(JsonNode node) {
    if (!node.isArray()) {
      throw new AnonymisationException("Expected a cell as an array of its coordinates but found " + node);
    }
    List<String> key = new ArrayList<>();
    node.forEach(v -> key.add(v.asText()));
    return List.copyOf(key);
  }

  private static List<String> legacyCell(String joined) {
    return List.of(joined.split(LEGACY_SEPARATOR, -1));
  }

  private static Map<String, Long> longs(JsonNode node) {
    Map<String, Long> map = new TreeMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asLong()));
    return map;
  }

  private static ObjectNode generalisation(Generalisation g) {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode levels = node.putObject("levels");
    for (int t = 0; t < g.quasiIdentifiers().size(); t++) {
      levels.put(g.quasiIdentifiers().get(t), g.levels().get(t) + "/" + g.heights().get(t));
    }
    node.put("records", g.records());
    node.put("suppressed_records", g.suppressedRecords());
    node.put("classes", g.classes());
    node.put("loss", g.loss());
    node.put("lattice_nodes", g.latticeNodes());
    node.put("evaluated_nodes", g.evaluatedNodes());
    node.put("compared_nodes", g.comparedNodes());
    return node;
  }

  private static Generalisation generalisation(JsonNode node) {
    List<String> qis = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    List<Integer> heights = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("levels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> level = it.next();
      String[] parts = level.getValue().asText("0/0").split("/", -1);
      qis.add(level.getKey());
      levels.add(Integer.parseInt(parts[0]));
      heights.add(Integer.parseInt(parts[1]));
    }
    return new Generalisation(
        qis, levels, heights, node.path("records").asLong(), node.path("suppressed_records").asLong(), node.path("classes").asLong(), node.path("loss").asDouble(),
        node.path("lattice_nodes").asLong(), node.path("evaluated_nodes").asInt(), node.path("compared_nodes").asInt());
  }

  private static ObjectNode risk(RiskReport r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("records", r.records());
    node.put("classes", r.classes());
    node.put("min_class_size", r.minClassSize());
    node.put("sample_uniques", r.sampleUniques());
    node.put("records_at_risk", r.recordsAtRisk());
    node.put("at_risk_below", r.k());
    node.put("max_risk", r.maxRisk());
    node.put("mean_risk", r.meanRisk());
    ArrayNode bands = node.putArray("class_sizes");
    for (RiskReport.SizeBand band : r.sizes()) {
      bands.addObject().put("size", band.label()).put("lower", band.lower()).put("upper", band.upper()).put("classes", band.classes()).put("records", band.records());
    }
    return node;
  }

  private static RiskReport risk(JsonNode node) {
    List<RiskReport.SizeBand> bands = new ArrayList<>();
    for (JsonNode b : node.path("class_sizes")) {
      long lower;
      long upper;
      if (b.has("lower")) {
        lower = b.path("lower").asLong();
        upper = b.path("upper").asLong();
      } else {
        // legacy label: "1", "2–4" or "100+"
        String label = b.path("size").asText();
        String[] parts = label.replace("+", "").split("–", -1);
        lower = Long.parseLong(parts[0]);
        upper = label.endsWith("+") ? 0 : Long.parseLong(parts[parts.length - 1]);
      }
      bands.add(new RiskReport.SizeBand(lower, upper, b.path("classes").asLong(), b.path("records").asLong()));
    }
    return new RiskReport(
        node.path("records").asLong(), node.path("classes").asLong(), node.path("min_class_size").asLong(), node.path("sample_uniques").asLong(),
        node.path("records_at_risk").asLong(), node.path("at_risk_below").asInt(), bands);
  }
}
