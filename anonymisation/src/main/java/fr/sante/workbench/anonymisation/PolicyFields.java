package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads of a policy file's values: a value of the wrong type is an error naming the key, what was
 * expected and what was found (never coerced: {@code rounding: five} is not 0, {@code secondary: nein} is not
 * true). Duplicate keys are refused when the file is parsed ({@link Policy#read}).
 */
final class PolicyFields {
  private final JsonNode node;
  private final String source;

  PolicyFields(JsonNode node, String source) {
    this.node = node;
    this.source = source;
  }

  private AnonymisationException wrong(String key, String expected) {
    return new AnonymisationException(
        "Invalid policy file '" + source + "': " + key + " is " + node.get(key).toString() + " (expected " + expected + ")");
  }

  int integer(String key, int otherwise) {
    if (!node.has(key)) {
      return otherwise;
    }
    JsonNode value = node.get(key);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw wrong(key, "a whole number");
    }
    return value.asInt();
  }

  double number(String key, double otherwise) {
    if (!node.has(key)) {
      return otherwise;
    }
    if (!node.get(key).isNumber()) {
      throw wrong(key, "a number");
    }
    return node.get(key).asDouble();
  }

  boolean bool(String key, boolean otherwise) {
    if (!node.has(key)) {
      return otherwise;
    }
    if (!node.get(key).isBoolean()) {
      throw wrong(key, "true or false");
    }
    return node.get(key).asBoolean();
  }

  String text(String key, String otherwise) {
    if (!node.has(key) || node.get(key).isNull()) {
      return otherwise;
    }
    if (!node.get(key).isTextual()) {
      throw wrong(key, "a name");
    }
    return node.get(key).asText();
  }

  /** One of {@code choices} (case-insensitive), as the enum constant of {@code type}. */
  <E extends Enum<E>> E choice(String key, E otherwise, Class<E> type) {
    String value = text(key, null);
    if (value == null) {
      return otherwise;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw wrong(key, "one of " + names);
  }

  List<String> names(String key) {
    List<String> out = new ArrayList<>();
    if (!node.has(key)) {
      return out;
    }
    if (!node.get(key).isArray()) {
      throw wrong(key, "a list of column names, e.g. [a, b]");
    }
    for (JsonNode item : node.get(key)) {
      if (!item.isTextual()) {
        throw wrong(key, "a list of column names, e.g. [a, b]");
      }
      out.add(item.asText());
    }
    return out;
  }

  PolicyFields object(String key) {
    if (!node.get(key).isObject()) {
      throw wrong(key, "a mapping, e.g. {n: 1, k: 85}");
    }
    return new PolicyFields(node.get(key), source);
  }
}
