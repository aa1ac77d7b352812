package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** What an export must satisfy: an aggregated table's rules or a record-level result's rules. */
public sealed interface Policy permits ExportPolicy, MicrodataPolicy, ModelPolicy {
  /** The policy as JSON, for the manifest and the audit log. */
  String toJson();

  /**
   * Reads a policy file, JSON or YAML ({@code .yaml}/{@code .yml}). A file with {@code quasi-identifiers} is
   * a record-level policy ({@link MicrodataPolicy}), otherwise an aggregated table's ({@link ExportPolicy}).
   * Relative hierarchy paths are resolved against the policy file's folder. Unknown keys are an error.
   */
  static Policy read(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    JsonNode root;
    try {
      root =
          (yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper())
              .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
              .readTree(file.toFile());
    } catch (IOException e) {
      throw new AnonymisationException("Cannot read policy file '" + file + "' as " + (yaml ? "YAML" : "JSON") + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new AnonymisationException("Expected a " + (yaml ? "YAML mapping" : "JSON object") + " in policy file '" + file + "'");
    }
    Path base = file.toAbsolutePath().getParent();
    return root.has("quasi-identifiers") ? MicrodataPolicy.fromJson(root, base, file.toString()) : ExportPolicy.fromJson(root, file.toString());
  }
}
