package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.schemas.Variant;
import java.io.Serializable;

/**
 * What a file's header told us.
 *
 * @param variant REG or ZEAT column names
 * @param columns number of named columns (56, or 55 when {@code ETB_DCS_MCO} is absent)
 * @param trailingDelimiter whether lines end with {@code ;} (an empty extra field)
 */
record FileLayout(Variant variant, int columns, boolean trailingDelimiter) implements Serializable {
  /** Number of {@code ;}-separated fields every data line must have. */
  int expectedFields() {
    return columns + (trailingDelimiter ? 1 : 0);
  }
}
