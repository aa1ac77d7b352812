import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.KAnonymity;
import fr.sante.workbench.anonymisation.Microdata;
import fr.sante.workbench.anonymisation.MicrodataPolicy;
import fr.sante.workbench.anonymisation.RiskReport;
import fr.sante.workbench.schemas.Geography;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Anonymisation benchmark, our side. Args: generate RECORDS OUT_PARQUET | risk PARQUET K | adult DIR K SHARE.
 * Prints "seconds N" (work only, after the session has started) and what it found.
 */
public class AnonymiseBench {
  public static void main(String[] args) throws Exception {
    SparkSession spark =
        fr.sante.workbench.spark.Sessions.withDelta(
                SparkSession.builder().master("local[*]").appName("bench").config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1"))
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    long start = System.nanoTime();
    switch (args[0]) {
      case "generate" -> generate(spark, Long.parseLong(args[1]), args[2]);
      case "risk" -> {
        RiskReport report = RiskReport.of(spark.read().parquet(args[1]), List.of("age", "dpt", "month", "sex"), Integer.parseInt(args[2]));
        System.out.println(report.describe());
      }
      case "adult" -> {
        Path dir = Path.of(args[1]);
        List<String> columns = List.of("sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation", "salary-class");
        List<Hierarchy> hierarchies = new ArrayList<>();
        for (String c : columns) {
          hierarchies.add(Hierarchy.read(c, dir.resolve("adult_hierarchy_" + c + ".csv")));
        }
        Dataset<Row> adult = spark.read().option("header", "true").option("sep", ";").csv(dir.resolve("adult.csv").toString());
        MicrodataPolicy policy = new MicrodataPolicy(new KAnonymity(columns, Integer.parseInt(args[2])), hierarchies, List.of(), List.of(), Double.parseDouble(args[3]));
        Microdata.Anonymised result = Microdata.anonymise(adult, policy);
        long published = result.released().count();
        var g = result.generalisation();
        System.out.printf("generalisation %s; loss %.4f; suppressed %d of %d; published %d in %d classes; evaluated %d of %d nodes%n",
            g.describe(), g.loss(), g.suppressedRecords(), g.records(), published, g.classes(), g.evaluatedNodes(), g.latticeNodes());
      }
      case "table" -> {
        int n = Integer.parseInt(args[1]);
        // n x n x n inner cells, counts skewed like health tables: a third under 11, some zeros, a long tail
        Column u = pmod(xxhash64(col("id"), lit(11)), lit(1000)).divide(1000.0);
        Column count =
            when(u.lt(0.05), lit(0L)).when(u.lt(0.35), pmod(xxhash64(col("id"), lit(12)), lit(10)).plus(1))
                .otherwise(functions.floor(functions.exp(pmod(xxhash64(col("id"), lit(13)), lit(700)).divide(100.0))).plus(11));
        Dataset<Row> cells =
            spark.range((long) n * n * n)
                .select(
                    format_string("a%03d", col("id").divide(n * n).cast("int")).as("a"),
                    format_string("b%03d", pmod(col("id").divide(n).cast("long"), lit(n))).as("b"),
                    format_string("c%03d", pmod(col("id"), lit(n))).as("c"),
                    count.cast("long").as("n"));
        var policy = new fr.sante.workbench.anonymisation.ExportPolicy(List.of("a", "b", "c"), "n", fr.sante.workbench.anonymisation.ExportPolicy.CountUnit.PERSONS,
            fr.sante.workbench.anonymisation.SuppressionPolicy.defaults());
        Path out = Path.of(args[2]);
        var result = fr.sante.workbench.anonymisation.Exports.write(spark, cells, policy,
            new fr.sante.workbench.anonymisation.Exports.Request(out.resolveSibling(out.getFileName() + "-audit").toString(), out, "bench table", "bench"));
        var p = result.published().manifest();
        System.out.printf("cells %d (margins included); primary %d; secondary %d (%,d persons hidden); method %s%n",
            p.cells(), result.protection().primary(), result.protection().secondary(), result.protection().secondaryLoss(), p.method());
        // the DPO's detail (which hidden cells are small) stays in the audit entry: the bench's attacker is told it
        // through a file beside the published folder, never inside it
        String auditLog = out.resolveSibling(out.getFileName() + "-audit").toString();
        var entry = fr.sante.workbench.anonymisation.AuditLog.entries(spark, auditLog).stream().filter(e -> e.id() == result.auditEntry()).findFirst().orElseThrow();
        java.nio.file.Files.writeString(out.resolveSibling(out.getFileName() + "-detail.json"), entry.entry().detail());
      }
      case "methods" -> {
        // the same mid-size 2-D table protected by whole-table LP (the classical audit-driven method) and by hypercubes
        int n = Integer.parseInt(args[1]);
        java.util.Random random = new java.util.Random(1);
        java.util.Map<List<String>, Long> inner = new java.util.HashMap<>();
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            double u = random.nextDouble();
            inner.put(List.of("a" + a, "b" + b), u < 0.05 ? 0L : u < 0.35 ? 1L + random.nextInt(10) : 11L + (long) Math.exp(random.nextDouble() * 7));
          }
        }
        var table = fr.sante.workbench.anonymisation.internal.FrequencyTable.withMargins(List.of("a", "b"), inner);
        for (var method : fr.sante.workbench.anonymisation.ProtectionMethod.values()) {
          long t = System.nanoTime();
          var p = fr.sante.workbench.anonymisation.internal.CellSuppression.protect(table, fr.sante.workbench.anonymisation.SuppressionPolicy.defaults(), fr.sante.workbench.anonymisation.internal.Amounts.none(), method);
          System.out.printf("method %s: %d cells, primary %d, secondary %d, %,d persons hidden by secondary suppression, %.2f s%n",
              method, table.cells().size(), p.primary().size(), p.secondary().size(), p.secondaryLoss(), (System.nanoTime() - t) / 1e9);
        }
      }
      default -> throw new IllegalArgumentException("generate | risk | adult | table | methods");
    }
    System.out.printf("seconds %.2f%n", (System.nanoTime() - start) / 1e9);
    spark.stop();
  }

  /** RECORDS synthetic patients (seeded hashes of the row id): age 0–99, département, month of 2024, sex, an ALD number. */
  private static void generate(SparkSession spark, long records, String out) {
    String[] departements = Geography.departements().keySet().toArray(String[]::new);
    Column h = xxhash64(col("id"));
    Column age = pmod(h, lit(100));
    Column skewedAge = when(pmod(xxhash64(col("id"), lit(7)), lit(3)).equalTo(0), pmod(age, lit(40)).plus(40)).otherwise(age);
    Column dpt = element_at(lit(departements), pmod(xxhash64(col("id"), lit(2)), lit(departements.length)).plus(1).cast("int"));
    Column month = concat(lit("2024-"), format_string("%02d", pmod(xxhash64(col("id"), lit(3)), lit(12)).plus(1)));
    Column sex = when(pmod(xxhash64(col("id"), lit(4)), lit(2)).equalTo(0), lit("F")).otherwise(lit("M"));
    Column ald = pmod(xxhash64(col("id"), lit(5)), lit(32)).plus(1);
    spark.range(records)
        .select(skewedAge.cast("int").as("age"), dpt.as("dpt"), month.as("month"), sex.as("sex"), ald.cast("int").as("ald"))
        .write().mode("overwrite").parquet(out);
  }
}
