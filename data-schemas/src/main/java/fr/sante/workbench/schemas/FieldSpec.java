package fr.sante.workbench.schemas;

import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;

/**
 * One column of a Table Schema, as described in the schema JSON.
 *
 * @param name column name as it appears in the file header (REG variant)
 * @param title official French label
 * @param category CNAM category (e.g. {@code BENEFICIAIRE}); empty when undocumented
 * @param axis analysis axis (one of the six data.gouv axes, {@code Indicateur} or {@code Période}); may be empty
 * @param sparkType Spark SQL type of the typed column
 * @param required whether an empty value is an error
 * @param codeList name of the code list, or empty when the column is not coded
 * @param zeatName the name of this column in ZEAT (P) files, or empty when it does not change
 * @param zeatCodeList the code list of the ZEAT variant, or empty
 * @param mayBeAbsent whether older files may lack this (trailing) column
 * @param role {@code amount}, {@code quantity}, {@code coefficient}, {@code rate} or empty
 * @param pattern regular expression a text value must match, or empty
 * @param counts what a plain sum of this column counts ({@code acts}, {@code persons}, {@code boxes}, {@code
 *     consumers}), or empty: the export gate accepts a published count only when it traces to {@code count(*)}
 *     or to a sum of such a column
 * @param quasiIdentifier whether the column can single out a person combined with others (age, sex, geography,
 *     dates, establishment and practitioner codes): a record-level export may not publish it as insensitive
 */
public record FieldSpec(
    String name,
    String title,
    String category,
    String axis,
    DataType sparkType,
    boolean required,
    String codeList,
    String zeatName,
    String zeatCodeList,
    boolean mayBeAbsent,
    String role,
    String pattern,
    String counts,
    boolean quasiIdentifier) {

  public FieldSpec {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(title, "title is null");
    Objects.requireNonNull(category, "category is null");
    Objects.requireNonNull(axis, "axis is null");
    Objects.requireNonNull(sparkType, "sparkType is null");
    Objects.requireNonNull(codeList, "codeList is null");
    Objects.requireNonNull(zeatName, "zeatName is null");
    Objects.requireNonNull(zeatCodeList, "zeatCodeList is null");
    Objects.requireNonNull(role, "role is null");
    Objects.requireNonNull(pattern, "pattern is null");
    Objects.requireNonNull(counts, "counts is null");
  }

  /** The column name used by files of the given variant. */
  public String nameIn(Variant variant) {
    return variant == Variant.ZEAT && !zeatName.isEmpty() ? zeatName : name;
  }

  /** The code list used by files of the given variant, if the column is coded. */
  public Optional<String> codeListIn(Variant variant) {
    String list = variant == Variant.ZEAT && !zeatCodeList.isEmpty() ? zeatCodeList : codeList;
    return list.isEmpty() ? Optional.empty() : Optional.of(list);
  }

  public boolean hasZeatVariant() {
    return !zeatName.isEmpty();
  }
}
