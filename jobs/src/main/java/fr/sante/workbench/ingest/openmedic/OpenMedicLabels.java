package fr.sante.workbench.ingest.openmedic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.LakeTables;
import fr.sante.workbench.schemas.Schemas;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The ATC (levels 1-5) and CIP13 labels of Open Medic lines into {@code code_lists} ({@code table_name =
 * open_medic}, code lists {@code atc} and {@code cip13}), merged with the labels of earlier years: a code
 * keeps the label of the latest file that gave one.
 */
final class OpenMedicLabels {
  private OpenMedicLabels() {}

  static void write(SparkSession spark, Lake lake, Dataset<Row> accepted, OpenMedicHeader header) {
    Dataset<Row> labels = null;
    for (String level : List.of("ATC1", "ATC2", "ATC3", "ATC4", "ATC5", "CIP13")) {
      if (!header.positions().containsKey(level) || !header.positions().containsKey("L_" + level)) {
        continue;
      }
      Column code = IngestOpenMedicJob.text(header, level);
      Column label = IngestOpenMedicJob.text(header, "L_" + level);
      Dataset<Row> rows =
          accepted.select(lit(Lake.OPEN_MEDIC).as("table_name"), lit(level.toLowerCase(java.util.Locale.ROOT)).as("column_name"), code.as("code"), label.as("label"),
                  lit(level.equals("CIP13") ? "cip13" : "atc").as("code_list"))
              .filter(col("code").notEqual("").and(col("label").notEqual("")))
              .dropDuplicates("column_name", "code");
      labels = labels == null ? rows : labels.unionByName(rows);
    }
    if (labels == null) {
      return;
    }
    Dataset<Row> merged = labels;
    if (lake.exists(spark, Lake.CODE_LISTS)) {
      Dataset<Row> earlier = lake.read(spark, Lake.CODE_LISTS).filter(col("table_name").equalTo(Lake.OPEN_MEDIC));
      merged = labels.unionByName(earlier.join(labels.select("column_name", "code"), scalaSeq("column_name", "code"), "left_anti"));
    }
    LakeTables.replace(spark, lake, Lake.CODE_LISTS, Schemas.codeLists(), "table_name", Lake.OPEN_MEDIC, merged.localCheckpoint().coalesce(1));
  }

  private static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
  }
}
