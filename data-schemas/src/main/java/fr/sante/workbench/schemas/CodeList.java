package fr.sante.workbench.schemas;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A nomenclature: codes (as written in the files) and their official labels, in file order.
 *
 * @param name the list's name, which is also its resource file name without {@code .csv}
 * @param labels code to label, in the order of the resource
 */
public record CodeList(String name, Map<String, String> labels) {

  public CodeList {
    Objects.requireNonNull(name, "name is null");
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  public boolean contains(String code) {
    return labels.containsKey(code);
  }

  public Optional<String> label(String code) {
    return Optional.ofNullable(labels.get(code));
  }

  public Set<String> codes() {
    return labels.keySet();
  }

  public int size() {
    return labels.size();
  }
}
