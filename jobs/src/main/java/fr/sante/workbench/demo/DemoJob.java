package fr.sante.workbench.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import fr.sante.workbench.BuildInfo;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.generate.GenerateDamirJob.GeneratedFile;
import fr.sante.workbench.generate.GenerateDamirJob;
import fr.sante.workbench.generate.GenerateDenominators;
import fr.sante.workbench.generate.GenerateOpenMedic;
import fr.sante.workbench.ingest.openmedic.IngestOpenMedicJob;
import fr.sante.workbench.studies.medicines.MedicinesOptions;
import fr.sante.workbench.studies.medicines.MedicinesStudy;
import fr.sante.workbench.ingest.ald.IngestAldJob;
import fr.sante.workbench.ingest.population.IngestPopulationJob;
import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.ald.AldOptions;
import fr.sante.workbench.studies.ald.AldStudy;
import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import fr.sante.workbench.studies.model.ModelOptions;
import fr.sante.workbench.studies.model.ModelStudy;
import fr.sante.workbench.studies.prescription.PrescriptionStudy;
import fr.sante.workbench.generate.GenerateDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirResult;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.TableInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The main job of a fresh clone: generates a synthetic year of Open DAMIR, ingests it into a local lake,
 * returns what was built with two first aggregates, publishes a first table through the export gate, then
 * loads synthetic denominators and ALD prevalence and runs the five studies (expenditure, prescription,
 * medicines, ald, model) into {@code out/studies/}.
 */
public final class DemoJob {
  private DemoJob() {}

  /** What the demo built. */
  public record DemoResult(
      DemoOptions options,
      List<GeneratedFile> generated,
      IngestDamirResult ingest,
      List<TableInfo> tables,
      List<Row> byRegion,
      List<Row> byMonth,
      Exports.Result export,
      List<StudyResult> studies,
      List<String> skipped) {}

  /** Synthetic Open Medic lines per year. */
  static final long OPEN_MEDIC_ROWS = 20_000;

  /** The table the demo publishes through the export gate. */
  static final String EXPORT_QUERY =
      "SELECT cast(BEN_RES_REG AS string) AS region, cast(AGE_BEN_SNDS AS string) AS age_class, cast(BEN_SEX_COD AS string) AS sex,"
          + " count(*) AS lines, sum(FLT_REM_MNT) AS reimbursed_eur FROM damir WHERE TOP_PS5_TRG = 1 GROUP BY 1, 2, 3";

  /**
   * Writes synthetic population and ALD prevalence for {@code year} and Open Medic for {@code year - 1} and
   * {@code year} under {@code raw}, in the real layouts and dialects, and ingests them into {@code lake}.
   */
  public static void loadSyntheticReferences(SparkSession spark, Lake lake, Path raw, int year, long seed, long openMedicRows) {
    GenerateDenominators.Written denominators = GenerateDenominators.write(raw.resolve("denominators"), year, seed);
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(denominators.population().toString()), lake));
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(denominators.ald().toString()), lake));
    Path medic = raw.resolve("openmedic");
    GenerateOpenMedic.write(medic, year - 1, openMedicRows, seed);
    GenerateOpenMedic.write(medic, year, openMedicRows, seed + 1);
    IngestOpenMedicJob.run(spark, new IngestOpenMedicJob.Options(List.of(medic.toString()), lake));
  }

  /** Marks a folder as the demo's own, so that a re-run may start it afresh. */
  static final String MARKER = ".workbench-demo";
  /** The banner of every demo report. */
  public static final String SYNTHETIC_STATEMENT =
      "Synthetic data: every figure of this report comes from the demo's generated Open DAMIR, Open Medic, population and ALD files, not from CNAM's or INSEE's.";

  public static DemoResult run(SparkSession spark, DemoOptions options) {
    startAfresh(options.dir());
    var progress = options.progress();
    List<GeneratedFile> generated =
        progress.during(
            "generating " + options.from() + " to " + options.to() + " in " + options.rawDir(),
            () -> GenerateDamirJob.run(
                GenerateDamirOptions.of(options.from(), options.to(), options.rowsPerMonth(), options.seed(), options.rawDir())
                    .withProgress(progress)));
    Lake lake = new Lake(options.lakeDir().toString());
    IngestDamirResult ingest =
        progress.during(
            "ingesting them into the Delta lake " + options.lakeDir(),
            () -> IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(options.rawDir().toString()), lake).withProgress(progress)));
    Dataset<Row> damir = lake.read(spark, Lake.DAMIR);
    Dataset<Row> regions =
        lake.read(spark, Lake.CODE_LISTS).filter(col("column_name").equalTo("BEN_RES_REG")).select(col("code"), col("label"));
    // FLT_* only (pre-filtered indicators: never mixed with PRS_*), monthly-statistics scope TOP_PS5_TRG = 1
    List<Row> byRegion =
        progress.during(
            "reimbursements by region of residence",
            () -> damir
                .filter(col("TOP_PS5_TRG").equalTo(1))
                .groupBy(col("BEN_RES_REG"))
                .agg(sum("FLT_REM_MNT").as("reimbursed_eur"), sum("FLT_PAI_MNT").as("spent_eur"), count("*").as("lines"))
                .join(regions, col("code").equalTo(col("BEN_RES_REG").cast("string")), "left")
                .select(col("BEN_RES_REG"), col("label"), col("lines"), col("spent_eur"), col("reimbursed_eur"))
                .orderBy(col("reimbursed_eur").desc())
                .collectAsList());
    List<Row> byMonth =
        progress.during(
            "lines and reimbursements by processing month",
            () -> damir
                .groupBy(col("FLX_ANN_MOI"))
                .agg(
                    count("*").as("lines"),
                    sum("FLT_REM_MNT").as("reimbursed_eur"),
                    sum(when(col("EXO_MTF").between(41, 46), col("FLT_REM_MNT"))).as("ald_reimbursed_eur"))
                .orderBy(col("FLX_ANN_MOI"))
                .collectAsList());
    // a first publication through the gate: small cells hidden, secondary suppression, manifest, audit entry
    Path out = options.exportDir();
    deleteDemoExport(out);
    Exports.Result export = progress.during("publishing a first table through the export gate", () -> firstExport(spark, lake, out, progress));
    // denominators and ALD prevalence (synthetic, in the real layouts), then every study through the gate
    progress.during(
        "loading synthetic population, ALD prevalence and Open Medic",
        () -> loadSyntheticReferences(spark, lake, options.rawDir(), options.to().getYear(), options.seed(), OPEN_MEDIC_ROWS));
    Path studies = options.studiesDir();
    deleteDemoExport(studies);
    java.util.function.Consumer<String> steps = progress::step;
    List<StudyResult> results = new java.util.ArrayList<>();
    fr.sante.workbench.anonymisation.ReportLanguage language = options.language();
    results.add(progress.during("study " + ExpenditureStudy.NAME, () -> ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, studies.resolve(ExpenditureStudy.NAME)).withProgress(steps).withLanguage(language))));
    results.add(progress.during("study " + PrescriptionStudy.NAME, () -> PrescriptionStudy.run(spark, PrescriptionStudy.options(lake, studies.resolve(PrescriptionStudy.NAME)).withProgress(steps).withLanguage(language))));
    results.add(progress.during("study " + MedicinesStudy.NAME, () -> MedicinesStudy.run(spark, MedicinesOptions.of(lake, studies.resolve(MedicinesStudy.NAME)).withAtc("C10").withProgress(steps).withLanguage(language))));
    // the synthetic denominators are in INSEE's layout only: chosen by hand (the ALD counts' scheme is the régime général)
    results.add(progress.during("study " + AldStudy.NAME, () -> AldStudy.run(spark, AldOptions.of(lake, studies.resolve(AldStudy.NAME)).withProgress(steps).withLanguage(language)
        .withPopulation(new fr.sante.workbench.studies.PopulationChoice.Wanted(java.util.Optional.of("insee"), java.util.Optional.empty())))));
    List<String> skipped = new java.util.ArrayList<>();
    try {
      results.add(progress.during("study " + ModelStudy.NAME, () -> ModelStudy.run(spark, ModelOptions.of(lake, studies.resolve(ModelStudy.NAME)).withProgress(steps).withLanguage(language))));
    } catch (fr.sante.workbench.WorkbenchException | fr.sante.workbench.anonymisation.DisclosureCheckFailedException e) {
      // a demo much smaller than the default may have too few cells for the model, or levels the gate refuses
      skipped.add("model: " + e.getMessage());
    }
    String synthetic = fr.sante.workbench.studies.StudyReport.texts(language).msg("report.synthetic");
    results.forEach(r -> fr.sante.workbench.studies.StudyReport.flagSynthetic(r.report(), synthetic));
    List<TableInfo> tables = progress.during("describing the lake's tables", () -> TableInfo.describe(spark, lake));
    return new DemoResult(options, generated, ingest, tables, byRegion, byMonth, export, results, skipped);
  }

  /** The demo's first table through the gate: lines and reimbursements by region x age class x sex. */
  private static Exports.Result firstExport(SparkSession spark, Lake lake, Path out, fr.sante.workbench.ingest.damir.Progress progress) {
    Map<String, Long> inputs = lake.registerPinnedViews(spark);
    ExportPolicy policy =
        new ExportPolicy(
            List.of("region", "age_class", "sex"), "lines", ExportPolicy.CountUnit.ROWS, SuppressionPolicy.defaults(), List.of("reimbursed_eur"), null, null, true, 1, true);
    // the same read-only analysis as the CLI's, which also says which tables (at which version) the query reads
    var checked = lake.query(spark, EXPORT_QUERY, inputs.keySet());
    Map<String, Long> read = new java.util.TreeMap<>(inputs);
    read.keySet().retainAll(checked.tables());
    return Exports.write(
        spark, checked.dataset(), policy,
        new Exports.Request(lake.tablePath(Lake.AUDIT_LOG), out, EXPORT_QUERY, BuildInfo.version(), read, false).withProgress(progress::step));
  }

  /**
   * A re-run starts from an empty folder (new lake, new audit log, new outputs), so that every audit entry of
   * the demo lake still verifies; only a folder the demo created (it holds {@value #MARKER}) is ever emptied.
   */
  private static void startAfresh(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        boolean empty;
        try (var entries = Files.list(dir)) {
          empty = entries.findAny().isEmpty();
        }
        if (!empty && !Files.exists(dir.resolve(MARKER))) {
          throw new fr.sante.workbench.WorkbenchException(
              "Cannot run the demo in " + dir + ": the folder is not empty and was not created by the demo (no " + MARKER
                  + " file); choose another --dir, or remove it if it holds nothing you need");
        }
        deleteDemoExport(dir);
      }
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(MARKER), "Created by ./workbench demo: emptied at each run.\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the demo folder " + dir, e);
    }
  }

  /** The demo's own previous output (a folder under the demo directory), removed before a re-run. */
  private static void deleteDemoExport(Path out) {
    try {
      if (Files.isDirectory(out)) {
        try (var files = Files.walk(out)) {
          for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove the previous demo export " + out, e);
    }
  }
}
