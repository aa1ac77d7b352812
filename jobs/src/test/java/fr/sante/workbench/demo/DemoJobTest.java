package fr.sante.workbench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.ExportVerification;
import fr.sante.workbench.ingest.damir.Progress;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoJobTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @Test
  void buildsTheLakeAndPublishesThroughTheGateTwiceInARow() throws Exception {
    DemoOptions options = new DemoOptions(dir, YearMonth.of(2024, 1), YearMonth.of(2024, 2), 3_000, 7, Progress.SILENT);
    DemoJob.DemoResult first = DemoJob.run(spark, options);
    assertThat(Files.readAllLines(first.export().table()).get(0)).isEqualTo("region,age_class,sex,lines,reimbursed_eur,suppressed");
    // every published region total equals an independent count of the lake's lines in scope
    Map<String, Long> byRegion = new HashMap<>();
    spark.read().format("delta").load(options.lakeDir().resolve("damir").toString()).filter("TOP_PS5_TRG = 1")
        .groupBy("BEN_RES_REG").count().collectAsList().forEach(r -> byRegion.put(String.valueOf(r.get(0)), r.getLong(1)));
    int checked = 0;
    for (String line : Files.readAllLines(first.export().table())) {
      String[] f = line.split(",", -1);
      if (f[1].equals("Total") && f[2].equals("Total") && f[5].equals("false")) {
        long expected = f[0].equals("Total") ? byRegion.values().stream().mapToLong(Long::longValue).sum() : byRegion.get(f[0]);
        assertThat(Long.parseLong(f[3])).as(line).isEqualTo(expected);
        checked++;
      }
    }
    assertThat(checked).isPositive();

    DemoJob.DemoResult second = DemoJob.run(spark, options); // the demo can be re-run: its export folder is replaced
    // a re-run starts afresh: its entries are numbered from 1 again and every one of them verifies
    assertThat(second.export().auditEntry()).isEqualTo(first.export().auditEntry());
    // every study published through the gate and wrote its report; the model, fitted in the lake on every line, runs even
    // at this tiny size (it used to need enough published cells)
    assertThat(second.studies()).extracting(fr.sante.workbench.studies.StudyResult::study).containsExactly("expenditure", "prescription", "medicines", "ald", "model");
    assertThat(second.skipped()).isEmpty();
    String auditLog = new Lake(options.lakeDir().toString()).tablePath(Lake.AUDIT_LOG);
    for (var study : second.studies()) {
      assertThat(study.report()).exists();
      assertThat(Files.readString(study.report())).as("%s's report says its data are synthetic, once", study.study())
          .containsOnlyOnce("<p class=\"synthetic\">" + DemoJob.SYNTHETIC_STATEMENT + "</p>");
      for (var table : study.tables()) {
        assertThat(ExportVerification.verifyFolder(spark, auditLog, table.published().folder()).problems()).as(table.name()).isEmpty();
      }
      for (var model : study.models()) {
        assertThat(ExportVerification.verifyFolder(spark, auditLog, model.coefficients().getParent()).problems()).as(study.study()).isEmpty();
      }
    }
    assertThat(AuditLog.verify(spark, auditLog)).isEmpty();
    // what the demo's "Next" suggests: the DPO's check of every entry and file of the demo lake
    java.io.StringWriter verifyOut = new java.io.StringWriter();
    picocli.CommandLine cli = fr.sante.workbench.cli.Workbench.commandLine();
    cli.setOut(new java.io.PrintWriter(verifyOut, true));
    cli.setErr(new java.io.PrintWriter(verifyOut, true));
    assertThat(cli.execute("audit", "verify", "--lake", options.lakeDir().toString())).as(verifyOut.toString()).isZero();
    assertThat(ExportVerification.verifyFolder(spark, auditLog, options.exportDir()).problems()).isEmpty();
  }

  @Test
  void refusesAFolderItDidNotCreate() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("notes.txt"), "someone's work");
    DemoOptions options = new DemoOptions(dir, YearMonth.of(2024, 1), YearMonth.of(2024, 1), 100, 7, Progress.SILENT);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoJob.run(spark, options))
        .hasMessageStartingWith("Cannot run the demo in " + dir + ": the folder is not empty and was not created by the demo");
    assertThat(java.nio.file.Files.readString(dir.resolve("notes.txt"))).isEqualTo("someone's work");
  }
}
