package fr.sante.workbench.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import fr.sante.workbench.generate.GenerateDamirJob.GeneratedFile;
import fr.sante.workbench.generate.GenerateDamirJob;
import fr.sante.workbench.generate.GenerateDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirResult;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.TableInfo;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The main job of a fresh clone: generates a synthetic year of Open DAMIR, ingests it into a local lake,
 * and returns what was built with two first aggregates (later issues add ALD, studies and gated exports).
 */
public final class DemoJob {
  private DemoJob() {}

  /** What the demo built. */
  public record DemoResult(
      DemoOptions options, List<GeneratedFile> generated, IngestDamirResult ingest, List<TableInfo> tables, List<Row> byRegion, List<Row> byMonth) {}

  public static DemoResult run(SparkSession spark, DemoOptions options) {
    List<GeneratedFile> generated =
        GenerateDamirJob.run(
            GenerateDamirOptions.of(options.from(), options.to(), options.rowsPerMonth(), options.seed(), options.rawDir())
                .withProgress(options.progress()));
    Lake lake = new Lake(options.lakeDir().toString());
    IngestDamirResult ingest =
        IngestDamirJob.run(
            spark, IngestDamirOptions.of(List.of(options.rawDir().toString()), lake).withProgress(options.progress()));
    Dataset<Row> damir = lake.read(spark, Lake.DAMIR);
    Dataset<Row> regions =
        lake.read(spark, Lake.CODE_LISTS).filter(col("column_name").equalTo("BEN_RES_REG")).select(col("code"), col("label"));
    // FLT_* only (pre-filtered indicators: never mixed with PRS_*), monthly-statistics scope TOP_PS5_TRG = 1
    List<Row> byRegion =
        damir
            .filter(col("TOP_PS5_TRG").equalTo(1))
            .groupBy(col("BEN_RES_REG"))
            .agg(sum("FLT_REM_MNT").as("reimbursed_eur"), sum("FLT_PAI_MNT").as("spent_eur"), count("*").as("lines"))
            .join(regions, col("code").equalTo(col("BEN_RES_REG").cast("string")), "left")
            .select(col("BEN_RES_REG"), col("label"), col("lines"), col("spent_eur"), col("reimbursed_eur"))
            .orderBy(col("reimbursed_eur").desc())
            .collectAsList();
    List<Row> byMonth =
        damir
            .groupBy(col("FLX_ANN_MOI"))
            .agg(
                count("*").as("lines"),
                sum("FLT_REM_MNT").as("reimbursed_eur"),
                sum(when(col("EXO_MTF").between(41, 46), col("FLT_REM_MNT"))).as("ald_reimbursed_eur"))
            .orderBy(col("FLX_ANN_MOI"))
            .collectAsList();
    return new DemoResult(options, generated, ingest, TableInfo.describe(spark, lake), byRegion, byMonth);
  }
}
