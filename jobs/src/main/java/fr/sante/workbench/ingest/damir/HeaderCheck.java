package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.schemas.TableSchema;
import fr.sante.workbench.schemas.Variant;
import java.util.Arrays;
import java.util.List;

/** Checks a header line against the schema, before any row is read. */
final class HeaderCheck {
  private HeaderCheck() {}

  /**
   * The layout of a file whose first line is {@code header}.
   *
   * @throws HeaderMismatchException naming the file, the first unexpected or missing column and the
   *     expected list
   */
  static FileLayout check(TableSchema schema, DamirSource source, String header) {
    String line = header.endsWith("\r") ? header.substring(0, header.length() - 1) : header;
    boolean trailing = line.endsWith(";");
    String body = trailing ? line.substring(0, line.length() - 1) : line;
    List<String> found = Arrays.asList(body.split(";", -1));
    // The file prefix says which variant to expect; a header of the other variant is accepted as such.
    for (Variant variant : List.of(source.variant(), other(source.variant()))) {
      List<String> expected = schema.headerNames(variant);
      int count = found.size();
      if (count >= schema.minimumColumnCount()
          && count <= expected.size()
          && found.equals(expected.subList(0, count))) {
        return new FileLayout(variant, count, trailing);
      }
    }
    List<String> expected = schema.headerNames(source.variant());
    throw new HeaderMismatchException(describe(source, found, expected));
  }

  private static String describe(DamirSource source, List<String> found, List<String> expected) {
    String where;
    int i = 0;
    while (i < found.size() && i < expected.size() && found.get(i).equals(expected.get(i))) {
      i++;
    }
    if (i < found.size() && i < expected.size()) {
      where = "expected column '" + expected.get(i) + "' at position " + (i + 1) + " but found '" + found.get(i) + "'";
    } else if (i < expected.size()) {
      where = "expected column '" + expected.get(i) + "' at position " + (i + 1) + " but the header ends";
    } else {
      where = "expected " + expected.size() + " columns but found unexpected column '" + found.get(i) + "' at position " + (i + 1);
    }
    return "Header mismatch in '"
        + source.name()
        + "': "
        + where
        + ". Nothing was written. Expected columns ("
        + source.variant()
        + " variant, then an optional trailing ';'): "
        + String.join(";", expected);
  }

  private static Variant other(Variant variant) {
    return switch (variant) {
      case REG -> Variant.ZEAT;
      case ZEAT -> Variant.REG;
    };
  }
}
