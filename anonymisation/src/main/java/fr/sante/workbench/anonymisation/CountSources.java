package fr.sante.workbench.anonymisation;

import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which source columns a published count or amount may come from. The gate traces each count and amount
 * column of a result through Spark's analysed plan to the columns it reads ({@link CountLineage}), then asks
 * this what those columns are. {@link #SCHEMAS}, the default, reads data-schemas: a column's {@code counts}
 * ({@code acts}, {@code persons}, {@code boxes}, {@code consumers}) and {@code role: amount}.
 */
public interface CountSources {
  /**
   * What a plain sum of {@code column} counts.
   *
   * @param table the lake table read (the last segment of its location), or null for in-memory data
   */
  Optional<ExportPolicy.CountUnit> counts(String table, String column);

  /** Whether {@code column} of {@code table} is an amount in euros that may be summed and published. */
  boolean isAmount(String table, String column);

  /** Whether {@code column} of {@code table} is a quasi-identifier (data-schemas' {@code quasiIdentifier}). */
  default boolean isQuasiIdentifier(String table, String column) {
    return table != null && Schemas.ofLakeTable(table).flatMap(schema -> schema.field(column)).map(FieldSpec::quasiIdentifier).orElse(false);
  }

  /**
   * Who publishes every row of {@code table} as open data, and how (data-schemas' {@code openData}); empty for a table
   * that is not an open-data publication, and for in-memory data.
   */
  default Optional<String> openData(String table) {
    return table == null ? Optional.empty() : Schemas.ofLakeTable(table).filter(TableSchema::isOpenData).map(TableSchema::openData);
  }

  /** The lake tables data-schemas declares as open data. */
  static List<String> openDataTables() {
    return Schemas.lakeTables().stream().filter(t -> Schemas.ofLakeTable(t).map(TableSchema::isOpenData).orElse(false)).toList();
  }

  /** The lake's tables as data-schemas describes them; in-memory data is never a source. */
  CountSources SCHEMAS =
      new CountSources() {
        @Override
        public Optional<ExportPolicy.CountUnit> counts(String table, String column) {
          return field(table, column)
              .map(FieldSpec::counts)
              .filter(unit -> !unit.isEmpty())
              .map(unit -> ExportPolicy.CountUnit.valueOf(unit.toUpperCase(Locale.ROOT)));
        }

        @Override
        public boolean isAmount(String table, String column) {
          return field(table, column).map(f -> f.role().equals("amount")).orElse(false);
        }

        private Optional<FieldSpec> field(String table, String column) {
          return table == null ? Optional.empty() : Schemas.ofLakeTable(table).flatMap(schema -> schema.field(column));
        }

        @Override
        public String toString() {
          return "the lake's schemas";
        }
      };

  /**
   * The lake's schemas for the lake's tables, plus columns declared by name for anything data-schemas does not
   * describe (in-memory rows, a caller's own files): for a caller that builds its own rows in the JVM (tests, a
   * benchmark, a notebook's hand-made table), trusted with them as with the JVM itself. The CLI never uses it.
   */
  static CountSources declared(Map<String, ExportPolicy.CountUnit> counts, Set<String> amounts) {
    return new CountSources() {
      @Override
      public Optional<ExportPolicy.CountUnit> counts(String table, String column) {
        return described(table) ? SCHEMAS.counts(table, column) : Optional.ofNullable(counts.get(column));
      }

      @Override
      public boolean isAmount(String table, String column) {
        return described(table) ? SCHEMAS.isAmount(table, column) : amounts.contains(column);
      }

      private boolean described(String table) {
        return table != null && Schemas.ofLakeTable(table).isPresent();
      }

      @Override
      public String toString() {
        return "in-memory columns " + counts.keySet() + " " + amounts + " and the lake's schemas";
      }
    };
  }
}
