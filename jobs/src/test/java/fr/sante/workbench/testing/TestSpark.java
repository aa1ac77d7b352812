package fr.sante.workbench.testing;

import fr.sante.workbench.spark.Sessions;
import org.apache.spark.sql.SparkSession;

/** One Spark session per test JVM (local[2], UI off, loopback, Delta), never stopped by tests. */
public final class TestSpark {
  private static final SparkSession SPARK =
      Sessions.withDelta(
              SparkSession.builder()
                  .master("local[2]")
                  .appName("workbench-tests")
                  .config("spark.ui.enabled", "false")
                  .config("spark.driver.host", Sessions.LOOPBACK)
                  .config("spark.driver.bindAddress", Sessions.LOOPBACK)
                  .config("spark.sql.shuffle.partitions", "2"))
          .getOrCreate();

  static {
    SPARK.sparkContext().setLogLevel("ERROR");
  }

  private TestSpark() {}

  public static SparkSession session() {
    return SPARK;
  }
}
