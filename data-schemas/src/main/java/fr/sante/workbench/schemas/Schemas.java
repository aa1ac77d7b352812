package fr.sante.workbench.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** Loads the Table Schema JSON resources of this module. */
public final class Schemas {
  /** Resource path of the Open DAMIR schema. */
  public static final String OPEN_DAMIR_RESOURCE = "open-damir.schema.json";

  public static final String DAMIR_REJECTS_RESOURCE = "damir-rejects.schema.json";
  public static final String INGEST_LOG_RESOURCE = "ingest-log.schema.json";
  public static final String CODE_LISTS_RESOURCE = "code-lists.schema.json";
  public static final String ALD_PREVALENCE_RESOURCE = "ald-prevalence.schema.json";
  public static final String POPULATION_RESOURCE = "population.schema.json";
  public static final String AUDIT_LOG_RESOURCE = "audit-log.schema.json";
  public static final String RELEASES_RESOURCE = "releases.schema.json";
  public static final String OPEN_MEDIC_RESOURCE = "open-medic.schema.json";
  public static final String OPEN_MEDIC_REJECTS_RESOURCE = "open-medic-rejects.schema.json";

  private static final Set<String> FIELD_KEYS =
      Set.of(
          "name", "title", "category", "axis", "type", "sparkType", "format", "decimalChar", "role", "unit",
          "pattern", "constraints", "codeList", "variants", "documented", "mayBeAbsent", "description", "counts", "quasiIdentifier");

  private static final Map<String, TableSchema> CACHE = new ConcurrentHashMap<>();

  private Schemas() {}

  /** The Open DAMIR file layout (56 columns in file order, plus derived columns). */
  public static TableSchema openDamir() {
    return cached(OPEN_DAMIR_RESOURCE);
  }

  /** Layout of the {@code damir_rejects} table. */
  public static TableSchema damirRejects() {
    return cached(DAMIR_REJECTS_RESOURCE);
  }

  /** Layout of the {@code ingest_log} table. */
  public static TableSchema ingestLog() {
    return cached(INGEST_LOG_RESOURCE);
  }

  /** Layout of the {@code code_lists} table. */
  public static TableSchema codeLists() {
    return cached(CODE_LISTS_RESOURCE);
  }

  /** Layout of the {@code ald_prevalence} table. */
  public static TableSchema aldPrevalence() {
    return cached(ALD_PREVALENCE_RESOURCE);
  }

  /** Layout of the {@code population} table. */
  public static TableSchema population() {
    return cached(POPULATION_RESOURCE);
  }

  /** Layout of the {@code open_medic} table. */
  public static TableSchema openMedic() {
    return cached(OPEN_MEDIC_RESOURCE);
  }

  /** Layout of the {@code open_medic_rejects} table. */
  public static TableSchema openMedicRejects() {
    return cached(OPEN_MEDIC_REJECTS_RESOURCE);
  }

  /**
   * The schema of the lake's table {@code table} ({@code damir}, {@code ald_prevalence}, ...), or empty for a
   * table the workbench does not write: what the export gate reads each column's {@code counts} and {@code role}
   * from.
   */
  public static Optional<TableSchema> ofLakeTable(String table) {
    String resource =
        switch (table) {
          case "damir" -> OPEN_DAMIR_RESOURCE;
          case "damir_rejects" -> DAMIR_REJECTS_RESOURCE;
          case "ingest_log" -> INGEST_LOG_RESOURCE;
          case "code_lists" -> CODE_LISTS_RESOURCE;
          case "ald_prevalence" -> ALD_PREVALENCE_RESOURCE;
          case "population" -> POPULATION_RESOURCE;
          case "open_medic" -> OPEN_MEDIC_RESOURCE;
          case "open_medic_rejects" -> OPEN_MEDIC_REJECTS_RESOURCE;
          case "audit_log" -> AUDIT_LOG_RESOURCE;
          case "releases" -> RELEASES_RESOURCE;
          default -> null;
        };
    return resource == null ? Optional.empty() : Optional.of(cached(resource));
  }

  /** The names of the lake's tables that {@link #ofLakeTable} describes. */
  public static List<String> lakeTables() {
    return List.of("damir", "damir_rejects", "ingest_log", "code_lists", "ald_prevalence", "population", "open_medic", "open_medic_rejects", "audit_log", "releases");
  }

  /** Layout of the {@code audit_log} table. */
  public static TableSchema auditLog() {
    return cached(AUDIT_LOG_RESOURCE);
  }

  /** Layout of the {@code releases} table (the export gate's release register). */
  public static TableSchema releases() {
    return cached(RELEASES_RESOURCE);
  }

  private static TableSchema cached(String resource) {
    return CACHE.computeIfAbsent(resource, Schemas::load);
  }

  /** Parses a Table Schema JSON resource of this module. */
  public static TableSchema load(String resource) {
    JsonNode root;
    try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new SchemaException("Cannot load schema: resource '" + resource + "' is not on the classpath");
      }
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new SchemaException("Cannot parse schema resource '" + resource + "': " + e.getMessage(), e);
    }
    List<FieldSpec> fields = fields(resource, root.path("fields"));
    List<FieldSpec> derived = fields(resource, root.path("derivedFields"));
    JsonNode dialect = root.path("dialect");
    return new TableSchema(
        text(root, "name", resource),
        text(root, "title", resource),
        root.path("partitionKey").asText(""),
        dialect.path("trailingDelimiter").asBoolean(false),
        fields,
        derived,
        properties(root.path("tableProperties")),
        openData(resource, root.path("openData")));
  }

  /** {@code "openData": {"producer": ..., "publishes": ...}}: both or neither. */
  private static String openData(String resource, JsonNode node) {
    if (node.isMissingNode()) {
      return "";
    }
    String producer = node.path("producer").asText("");
    String publishes = node.path("publishes").asText("");
    if (producer.isBlank() || publishes.isBlank()) {
      throw new SchemaException("Invalid schema '" + resource + "': openData needs 'producer' and 'publishes' (found " + node + ")");
    }
    return producer + " publishes " + publishes;
  }

  private static List<FieldSpec> fields(String resource, JsonNode array) {
    List<FieldSpec> out = new ArrayList<>();
    for (JsonNode node : array) {
      String name = text(node, "name", resource);
      for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!FIELD_KEYS.contains(key)) {
          throw new SchemaException(
              "Invalid schema '" + resource + "': unknown key '" + key + "' in field " + name);
        }
      }
      JsonNode zeat = node.path("variants").path("ZEAT");
      out.add(
          new FieldSpec(
              name,
              text(node, "title", resource),
              node.path("category").asText(""),
              node.path("axis").asText(""),
              sparkType(resource, name, text(node, "sparkType", resource)),
              node.path("constraints").path("required").asBoolean(false),
              node.path("codeList").asText(""),
              zeat.path("name").asText(""),
              zeat.path("codeList").asText(""),
              node.path("mayBeAbsent").asBoolean(false),
              node.path("role").asText(""),
              node.path("pattern").asText(""),
              node.path("counts").asText(""),
              node.path("quasiIdentifier").asBoolean(false)));
    }
    return out;
  }

  private static Map<String, String> properties(JsonNode node) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("decimal\\((\\d{1,2}),(\\d{1,2})\\)");

  /**
   * The Spark type of a {@code sparkType}: the plain names and decimals directly, anything else through
   * Spark's DDL parser (whose cold start, about half a second, every CLI command would otherwise pay).
   */
  private static DataType sparkType(String resource, String field, String ddl) {
    switch (ddl) {
      case "int": return DataTypes.IntegerType;
      case "bigint": return DataTypes.LongType;
      case "string": return DataTypes.StringType;
      case "date": return DataTypes.DateType;
      case "boolean": return DataTypes.BooleanType;
      case "timestamp": return DataTypes.TimestampType;
      default: break;
    }
    if (ddl.startsWith("map<") && ddl.endsWith(">")) {
      String inner = ddl.substring(4, ddl.length() - 1);
      int comma = inner.indexOf(',');
      if (comma > 0 && inner.substring(0, comma).equals("string")) {
        return DataTypes.createMapType(DataTypes.StringType, sparkType(resource, field, inner.substring(comma + 1)));
      }
    }
    java.util.regex.Matcher decimal = DECIMAL.matcher(ddl);
    if (decimal.matches()) {
      int precision = Integer.parseInt(decimal.group(1));
      int scale = Integer.parseInt(decimal.group(2));
      if (scale <= precision && precision <= 38) {
        return DataTypes.createDecimalType(precision, scale);
      }
    }
    try {
      return DataType.fromDDL(ddl);
    } catch (RuntimeException e) {
      throw new SchemaException(
          "Invalid schema '" + resource + "': field " + field + " has sparkType '" + ddl + "' which Spark cannot parse",
          e);
    }
  }

  private static String text(JsonNode node, String key, String resource) {
    JsonNode value = node.get(key);
    if (value == null || !value.isTextual()) {
      throw new SchemaException("Invalid schema '" + resource + "': expected a text '" + key + "' in " + node);
    }
    return value.asText();
  }
}
