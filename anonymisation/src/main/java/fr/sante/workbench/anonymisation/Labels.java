package fr.sante.workbench.anonymisation;

import fr.sante.workbench.schemas.CodeList;
import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.Schemas;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The labels of a table's codes, from the code lists that the schemas of its input tables name for each column
 * (data-schemas holds them; nothing is copied here). A dimension no input schema codes has no labels.
 */
final class Labels {
  private final Map<String, CodeList> byDimension;

  private Labels(Map<String, CodeList> byDimension) {
    this.byDimension = byDimension;
  }

  /** The code list of each of {@code dimensions} found in the schemas of the lake tables {@code inputs}. */
  static Labels of(List<String> dimensions, Collection<String> inputs) {
    Map<String, CodeList> found = new HashMap<>();
    for (String dimension : dimensions) {
      for (String input : inputs) {
        Optional<String> list = Schemas.ofLakeTable(input).flatMap(s -> s.field(dimension)).map(FieldSpec::codeList).filter(l -> !l.isEmpty());
        if (list.isPresent()) {
          found.put(dimension, CodeLists.load(list.get()));
          break;
        }
      }
    }
    return new Labels(found);
  }

  /** The label of {@code code} in {@code dimension}'s code list, when it has one and lists the code. */
  Optional<String> label(String dimension, String code) {
    CodeList list = byDimension.get(dimension);
    return list == null ? Optional.empty() : list.label(code);
  }

  /** Whether some dimension has a code list (package-private: tests). */
  boolean isEmpty() {
    return byDimension.isEmpty();
  }
}
