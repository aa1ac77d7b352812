package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.schemas.Variant;
import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Open DAMIR file to ingest.
 *
 * @param path Hadoop path or URI of the file
 * @param name file name, e.g. {@code A202501.csv.gz}
 * @param month processing month {@code yyyymm} taken from the name
 * @param variant header variant implied by the prefix ({@code A}: regions, {@code P}: ZEAT)
 * @param compressed whether the file is gzip-compressed
 */
public record DamirSource(String path, String name, int month, Variant variant, boolean compressed)
    implements Serializable {
  /** {@code A} or {@code P}, year, month, {@code .csv} and an optional {@code .gz} (case-insensitive). */
  static final Pattern NAME = Pattern.compile("([AaPp])(\\d{4})(\\d{2})\\.csv(\\.gz)?", Pattern.CASE_INSENSITIVE);

  public DamirSource {
    Objects.requireNonNull(path, "path is null");
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(variant, "variant is null");
  }

  /** Whether a file name looks like an Open DAMIR monthly file. */
  public static boolean matches(String name) {
    return NAME.matcher(name).matches();
  }

  /** Builds a source from its path, reading month and variant from the file name. */
  public static DamirSource of(String path, String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new WorkbenchException(
          "Invalid Open DAMIR file name: '"
              + name
              + "' (must be A<yyyy><mm>.csv[.gz] or P<yyyy><mm>.csv[.gz], e.g. A202501.csv.gz)");
    }
    int year = Integer.parseInt(m.group(2));
    int monthOfYear = Integer.parseInt(m.group(3));
    if (monthOfYear < 1 || monthOfYear > 12) {
      throw new WorkbenchException("Invalid month in file name '" + name + "': " + m.group(3) + " (must be 01 to 12)");
    }
    Variant variant = m.group(1).equalsIgnoreCase("P") ? Variant.ZEAT : Variant.REG;
    return new DamirSource(path, name, year * 100 + monthOfYear, variant, m.group(4) != null);
  }
}
