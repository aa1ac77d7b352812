package fr.sante.workbench.ingest.damir;

import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.LakeTables;
import fr.sante.workbench.schemas.CodeList;
import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import fr.sante.workbench.schemas.Variant;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Writes the small companion tables of an ingest: {@code code_lists}, {@code damir_rejects}, {@code ingest_log}. */
final class IngestTables {
  private final SparkSession spark;
  private final Lake lake;

  IngestTables(SparkSession spark, Lake lake) {
    this.spark = spark;
    this.lake = lake;
  }

  void ensureTable(String table, TableSchema schema) {
    LakeTables.ensure(spark, lake, table, schema);
  }

  /** Writes every code list used by {@code damir} to {@code code_lists}, unless it already holds exactly them. */
  void writeCodeListsIfChanged() {
    List<Row> rows = new ArrayList<>();
    for (FieldSpec field : Schemas.openDamir().fields()) {
      for (Variant variant : Variant.values()) {
        if (variant == Variant.ZEAT && !field.hasZeatVariant()) {
          continue;
        }
        String column = field.nameIn(variant);
        field
            .codeListIn(variant)
            .ifPresent(
                name -> {
                  CodeList list = CodeLists.load(name);
                  list.labels().forEach((code, label) -> rows.add(RowFactory.create(Lake.DAMIR, column, code, label, name)));
                });
      }
    }
    if (lake.exists(spark, Lake.CODE_LISTS)) {
      Set<Row> existing = new HashSet<>(lake.read(spark, Lake.CODE_LISTS).filter(org.apache.spark.sql.functions.col("table_name").equalTo(Lake.DAMIR)).collectAsList());
      if (existing.equals(new HashSet<>(rows))) {
        return;
      }
    }
    // only damir's lists: other tables' labels (Open Medic's ATC and CIP13) stay
    StructType type = Schemas.codeLists().tableType();
    fr.sante.workbench.lake.LakeTables.replace(spark, lake, Lake.CODE_LISTS, Schemas.codeLists(), "table_name", Lake.DAMIR, spark.createDataFrame(rows, type).coalesce(1));
  }

  /** Replaces the rejects of {@code month} with {@code rejects}; returns the new Delta version. */
  long replaceRejects(int month, Dataset<Row> rejects) {
    StructType type = Schemas.damirRejects().tableType();
    spark
        .createDataFrame(rejects.select(columns(type)).javaRDD(), type)
        .coalesce(1)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", DamirLineParser.FLX_ANN_MOI + " = " + month)
        .partitionBy(DamirLineParser.FLX_ANN_MOI)
        .save(lake.tablePath(Lake.DAMIR_REJECTS));
    return latestVersion(Lake.DAMIR_REJECTS).version();
  }

  /** Appends one row to {@code ingest_log}. */
  void appendLog(Row row) {
    spark
        .createDataFrame(List.of(row), Schemas.ingestLog().tableType())
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(lake.tablePath(Lake.INGEST_LOG));
  }

  /** The latest commit of a table: its version and how many rows it wrote (-1 if Delta did not say). */
  Commit latestVersion(String table) {
    Row last =
        DeltaTable.forPath(spark, lake.tablePath(table))
            .history(1)
            .select(col("version"), col("operationMetrics").getItem("numOutputRows"))
            .first();
    String written = last.isNullAt(1) ? null : last.getString(1);
    return new Commit(last.getLong(0), written == null ? -1 : Long.parseLong(written));
  }

  record Commit(long version, long rowsWritten) {}

  private static Column[] columns(StructType type) {
    String[] names = type.fieldNames();
    Column[] out = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = col(names[i]);
    }
    return out;
  }
}
