import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Benchmark competitor: DuckDB reads the .csv.gz and writes Parquet. Args: CSV_GZ OUT_PARQUET THREADS. */
public class DuckDbIngest {
  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + Integer.parseInt(args[2]));
      statement.execute(
          "COPY (SELECT * FROM read_csv('" + args[0] + "', delim = ';', header = true)) TO '" + args[1] + "' (FORMAT parquet)");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM read_parquet('" + args[1] + "')")) {
        rows.next();
        System.out.println("duckdb rows " + rows.getLong(1));
      }
    }
  }
}
