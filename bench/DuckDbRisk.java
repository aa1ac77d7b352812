import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Benchmark competitor: the same risk figures in DuckDB SQL over the same Parquet files. Args: PARQUET_DIR K THREADS. */
public class DuckDbRisk {
  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    int k = Integer.parseInt(args[1]);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + Integer.parseInt(args[2]));
      String sql =
          "WITH classes AS (SELECT count(*) AS size FROM read_parquet('" + args[0] + "/*.parquet') GROUP BY age, dpt, month, sex) "
              + "SELECT sum(size), count(*), min(size), sum(CASE WHEN size = 1 THEN 1 ELSE 0 END), sum(CASE WHEN size < " + k + " THEN size ELSE 0 END) FROM classes";
      try (ResultSet r = statement.executeQuery(sql)) {
        r.next();
        System.out.printf("%,d records in %,d classes; smallest class %d; sample uniques %,d; records at risk (class < %d) %,d%n",
            r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), k, r.getLong(5));
      }
    }
    System.out.printf("seconds %.2f%n", (System.nanoTime() - start) / 1e9);
  }
}
