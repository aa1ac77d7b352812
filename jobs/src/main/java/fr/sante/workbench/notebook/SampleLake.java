package fr.sante.workbench.notebook;

import fr.sante.workbench.demo.DemoJob;
import fr.sante.workbench.generate.GenerateDamirJob;
import fr.sante.workbench.generate.GenerateDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.spark.Sessions;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What a notebook starts from: an embedded Spark session and a small synthetic lake (three months of Open
 * DAMIR, population, ALD prevalence and two years of Open Medic), built once under a folder and reused by the next notebooks.
 */
public final class SampleLake {
  public static final long ROWS_PER_MONTH = 20_000;

  private SampleLake() {}

  /** The embedded session every notebook uses ({@code local[*]}, Delta, loopback). */
  public static SparkSession session() {
    return Sessions.forCli("workbench notebook", Optional.empty());
  }

  /** The lake under {@code dir/lake}, generated and ingested on first use (about half a minute). */
  public static Lake open(SparkSession spark, Path dir) {
    Lake lake = new Lake(dir.resolve("lake").toAbsolutePath().toString());
    if (lake.exists(spark, Lake.DAMIR) && lake.exists(spark, Lake.ALD_PREVALENCE) && lake.exists(spark, Lake.POPULATION) && lake.exists(spark, Lake.OPEN_MEDIC)) {
      return lake;
    }
    Path raw = dir.resolve("raw").toAbsolutePath();
    GenerateDamirJob.run(GenerateDamirOptions.of(YearMonth.of(2024, 1), YearMonth.of(2024, 3), ROWS_PER_MONTH, 2024, raw));
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(raw.toString()), lake));
    DemoJob.loadSyntheticReferences(spark, lake, raw, 2024, 2024, 10_000);
    return lake;
  }

  /**
   * Builds the sample lake under {@code DIR/lake} on the embedded session and prints its location, for a lake to
   * point {@code WORKBENCH_LAKE} at: {@code java -cp workbench.jar fr.sante.workbench.notebook.SampleLake DIR}.
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("Usage: SampleLake DIR   (builds the synthetic sample lake under DIR/lake; found " + args.length + " arguments)");
      System.exit(2);
    }
    SparkSession spark = session();
    Lake lake = open(spark, Path.of(args[0]));
    System.out.println(lake.root());
    spark.stop();
  }
}
