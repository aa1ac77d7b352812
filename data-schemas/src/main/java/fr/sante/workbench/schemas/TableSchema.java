package fr.sante.workbench.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A file layout read from a Table Schema JSON: the columns of the file in physical order, plus the columns
 * the ingest derives from them, and the Delta table properties of the table that stores them.
 *
 * @param openData empty, or who publishes the table's rows as open data and at which granularity (the schema's
 *     {@code openData}: each row of the lake table is then a cell its producer already publishes)
 */
public record TableSchema(
    String name,
    String title,
    String partitionKey,
    boolean trailingDelimiter,
    List<FieldSpec> fields,
    List<FieldSpec> derivedFields,
    Map<String, String> tableProperties,
    String openData) {

  public TableSchema {
    Objects.requireNonNull(openData, "openData is null");
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(title, "title is null");
    Objects.requireNonNull(partitionKey, "partitionKey is null");
    fields = List.copyOf(fields);
    derivedFields = List.copyOf(derivedFields);
    tableProperties = Map.copyOf(tableProperties);
  }

  /** The column named {@code column} (case-insensitive, as Spark resolves names), read or derived. */
  public Optional<FieldSpec> field(String column) {
    for (List<FieldSpec> list : List.of(fields, derivedFields)) {
      for (FieldSpec field : list) {
        if (field.name().equalsIgnoreCase(column)) {
          return Optional.of(field);
        }
      }
    }
    return Optional.empty();
  }

  /** The header a file of this variant must have, in order, without the trailing empty field. */
  public List<String> headerNames(Variant variant) {
    List<String> names = new ArrayList<>(fields.size());
    for (FieldSpec field : fields) {
      names.add(field.nameIn(variant));
    }
    return names;
  }

  /** Number of leading columns every file must have (the trailing {@code mayBeAbsent} ones excluded). */
  public int minimumColumnCount() {
    int count = fields.size();
    while (count > 0 && fields.get(count - 1).mayBeAbsent()) {
      count--;
    }
    return count;
  }

  /**
   * The typed table: every file column under its REG name, then the derived columns, then the ZEAT-variant
   * columns (null for A files). Columns that are required in a file stay nullable when a variant leaves them
   * empty.
   */
  public StructType tableType() {
    List<StructField> out = new ArrayList<>();
    for (FieldSpec field : fields) {
      boolean nullable = !field.required() || field.hasZeatVariant() || field.mayBeAbsent();
      out.add(DataTypes.createStructField(field.name(), field.sparkType(), nullable));
    }
    for (FieldSpec field : derivedFields) {
      out.add(DataTypes.createStructField(field.name(), field.sparkType(), true));
    }
    for (FieldSpec field : fields) {
      if (field.hasZeatVariant()) {
        out.add(DataTypes.createStructField(field.zeatName(), field.sparkType(), true));
      }
    }
    return DataTypes.createStructType(out);
  }

  /** Whether every row of the table is a cell its producer already publishes as open data. */
  public boolean isOpenData() {
    return !openData.isEmpty();
  }
}
