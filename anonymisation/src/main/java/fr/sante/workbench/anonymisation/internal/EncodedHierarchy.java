package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hierarchy as integer ids: the id of each original value at every level, and the labels back. */
public final class EncodedHierarchy {
  public final Hierarchy hierarchy;
  public final Map<String, Integer> leafIds = new HashMap<>();
  /** [level][leaf id] → id of its generalisation at that level. */
  public final int[][] ids;
  /** [level][id] → label. */
  public final String[][] labels;

  public EncodedHierarchy(Hierarchy hierarchy) {
    this.hierarchy = hierarchy;
    List<List<String>> rows = hierarchy.rows();
    int levels = hierarchy.levels();
    ids = new int[levels][rows.size()];
    labels = new String[levels][];
    for (int level = 0; level < levels; level++) {
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (int leaf = 0; leaf < rows.size(); leaf++) {
        String label = rows.get(leaf).get(level);
        Integer id = seen.get(label);
        if (id == null) {
          id = seen.size();
          seen.put(label, id);
        }
        ids[level][leaf] = id;
      }
      labels[level] = seen.keySet().toArray(String[]::new);
    }
    for (int leaf = 0; leaf < rows.size(); leaf++) {
      leafIds.put(rows.get(leaf).get(0), leaf);
    }
  }

  public int height() {
    return ids.length - 1;
  }

  public String column() {
    return hierarchy.column();
  }
}
