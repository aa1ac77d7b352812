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
import fr.sante.workbench.spark.DeltaCommits;
import fr.sante.workbench.spark.NewDataFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.unsafe.types.UTF8String;
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
  private static final String TABLE_NAME = "table_name";

  private final SparkSession spark;
  private final Lake lake;

  IngestTables(SparkSession spark, Lake lake) {
    this.spark = spark;
    this.lake = lake;
  }

  SparkSession spark() {
    return spark;
  }

  /** Creates {@code table} unless it exists; returns whether it created it (empty). */
  boolean ensureTable(String table, TableSchema schema) {
    return LakeTables.ensure(spark, lake, table, schema);
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
    boolean created = LakeTables.ensure(spark, lake, Lake.CODE_LISTS, Schemas.codeLists());
    String tablePath = lake.tablePath(Lake.CODE_LISTS);
    if (!created && !DeltaCommits.partitionColumns(spark, tablePath).equals(List.of(TABLE_NAME))) {
      replaceCodeListsWithSpark(rows); // a lake made before code_lists was partitioned by table
      return;
    }
    // the file is named after its contents: an unchanged list costs a look at the log, no query. Two ingests writing
    // the same lists at once each write their own file (a random suffix); the one whose commit loses keeps the other's.
    String named = String.format("%s=%s/code-lists-%s", TABLE_NAME, Lake.DAMIR, fingerprint(rows));
    if (!created && holds(tablePath, named)) {
      return;
    }
    String file = named + "-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".snappy.parquet";
    DataFileFormat format = DataFileFormat.of(Schemas.codeLists(), TABLE_NAME, List.of());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    NewDataFile written;
    try (DataFileWriter writer = new DataFileWriter(format, new Path(tablePath, file), conf)) {
      RowBatch batch = new RowBatch(Schemas.codeLists().tableType().size(), DataFileWriter.BATCH_ROWS);
      for (Row row : rows) {
        for (int i = 0; i < row.size(); i++) {
          batch.setText(i, batch.size(), UTF8String.fromString(row.getString(i)));
        }
        batch.add();
        if (batch.full()) {
          writer.write(batch);
        }
      }
      writer.write(batch);
      written = writer.finish(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the code lists to " + tablePath, e);
    }
    // only damir's lists: other tables' labels (Open Medic's ATC and CIP13) stay
    try {
      DeltaCommits.replacePartition(spark, tablePath, Schemas.codeLists().tableType(), TABLE_NAME, Lake.DAMIR, List.of(written));
    } catch (RuntimeException e) {
      if (isConflict(e) && holds(tablePath, named)) {
        // another ingest committed the same lists meanwhile: ours is not needed
        try {
          new Path(tablePath, file).getFileSystem(conf).delete(new Path(tablePath, file), false);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
        return;
      }
      throw e;
    }
  }

  /** Whether damir's partition of code_lists is exactly one file of these contents ({@code named} is its name without suffix). */
  private boolean holds(String tablePath, String named) {
    List<String> files = DeltaCommits.partitionFiles(spark, tablePath, TABLE_NAME, Lake.DAMIR);
    return files.size() == 1 && files.get(0).startsWith(named) && files.get(0).endsWith(".snappy.parquet");
  }

  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.delta.exceptions.DeltaConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }

  private void replaceCodeListsWithSpark(List<Row> rows) {
    Set<Row> existing = new HashSet<>(lake.read(spark, Lake.CODE_LISTS).filter(col(TABLE_NAME).equalTo(Lake.DAMIR)).collectAsList());
    if (!existing.equals(new HashSet<>(rows))) {
      StructType type = Schemas.codeLists().tableType();
      LakeTables.replace(spark, lake, Lake.CODE_LISTS, Schemas.codeLists(), TABLE_NAME, Lake.DAMIR, spark.createDataFrame(rows, type).coalesce(1));
    }
  }

  /** SHA-256 of the rows, in a fixed order, as 16 hex digits. */
  private static String fingerprint(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Row row : rows) {
      lines.add(row.mkString("\u0000"));
    }
    java.util.Collections.sort(lines);
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (String line : lines) {
        sha.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Those of {@code months} for which {@code damir_rejects} holds rows now (read from the Delta log, not the data). */
  Set<Integer> monthsWithRejects(List<Integer> months) {
    Set<Integer> out = new HashSet<>();
    List<String> values = months.stream().map(String::valueOf).toList();
    for (String month : DeltaCommits.partitionsWithFiles(spark, lake.tablePath(Lake.DAMIR_REJECTS), DamirLineParser.FLX_ANN_MOI, values)) {
      out.add(Integer.parseInt(month));
    }
    return out;
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
    return DeltaCommits.version(spark, lake.tablePath(Lake.DAMIR_REJECTS));
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

  private static Column[] columns(StructType type) {
    String[] names = type.fieldNames();
    Column[] out = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = col(names[i]);
    }
    return out;
  }
}
