import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.notebook.Notebook;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a notebook's first query spends its time, in one fresh JVM: the session, the lake, the views (Delta
 * snapshots), the query's analysis and planning, then its execution; then the same query again and a second,
 * different query, for what a warm JVM pays. Args: SAMPLE_DIR [PAUSE_SECONDS]: the folder holding lake/ (e.g.
 * notebooks/target/sample); with a pause, Notebook.warmUp starts after the lake (not with "cold") and the first query
 * waits that long.
 * Run: java $FLAGS -cp jobs/target/workbench.jar bench/FirstQuery.java notebooks/target/sample
 */
public class FirstQuery {
  static long t = System.nanoTime();

  static final java.util.List<String> jobs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  static void lap(String what) {
    long now = System.nanoTime();
    List<String> ran;
    synchronized (jobs) {
      ran = new java.util.ArrayList<>(jobs);
      jobs.clear();
    }
    System.out.printf("%-40s %6.2f s  %d Spark jobs%s%n", what, (now - t) / 1e9, ran.size(), ran.isEmpty() ? "" : ": " + String.join("; ", ran));
    t = now;
  }

  public static void main(String[] args) {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    lap("JVM to main");
    SparkSession spark = Notebook.session();
    spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
        List<String> stages = new java.util.ArrayList<>();
        scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos()).forEach(s -> stages.add(s.name().replaceAll(" at .*", "")));
        String description = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
        jobs.add((description == null ? "" : description + ": ") + String.join("+", stages));
      }
    });
    lap("Notebook.session()");
    Lake lake = new Lake(Path.of(args[0]).resolve("lake").toAbsolutePath().toString());
    Notebook.describe(spark, lake);
    lap("lake + describe");
    if (args.length > 1) { // PAUSE_SECONDS [cold]: the background warm-up (unless cold), then a reader's pause
      java.util.concurrent.CompletableFuture<List<String>> warm = args.length > 2 && args[2].equals("cold")
          ? java.util.concurrent.CompletableFuture.completedFuture(List.of("none")) : Notebook.warmUp(spark, lake);
      try {
        Thread.sleep(Long.parseLong(args[1]) * 1000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      lap("pause of " + args[1] + " s (warm-up " + (warm.isDone() ? "done: " + warm.join() : "still running") + ")");
    }
    List<String> views = lake.registerViews(spark);
    lap("registerViews (" + views.size() + " Delta snapshots)");
    String sql = "SELECT FLX_ANN_MOI, count(*) AS lines, sum(FLT_REM_MNT) AS reimbursed FROM damir WHERE TOP_PS5_TRG = 1 GROUP BY 1 ORDER BY 1";
    Dataset<Row> q = spark.sql(sql);
    lap("first query: parse + analyse");
    q.queryExecution().executedPlan();
    lap("first query: optimise + plan");
    List<Row> rows = q.collectAsList();
    lap("first query: execute (" + rows.size() + " rows)");
    spark.sql(sql).collectAsList();
    lap("same query again");
    spark.sql("SELECT BEN_RES_REG, avg(FLT_PAI_MNT) FROM damir WHERE BEN_SEX_COD = 2 GROUP BY 1").collectAsList();
    lap("another query on damir");
    spark.sql("SELECT count(*) FROM open_medic").collectAsList();
    lap("a query on open_medic");
    spark.stop();
  }
}
