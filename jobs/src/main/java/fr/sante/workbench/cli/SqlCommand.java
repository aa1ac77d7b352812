package fr.sante.workbench.cli;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workbench sql --lake DIR "SELECT ..."}. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL over the lake's tables (damir, damir_rejects, ingest_log, code_lists, ...).",
      "Example: workbench sql --lake demo/lake \"SELECT BEN_RES_REG, sum(FLT_REM_MNT) FROM damir GROUP BY 1\""
    })
public final class SqlCommand implements Callable<Integer> {
  /** Output formats of {@code sql}. */
  enum Format {
    table,
    csv
  }

  @Parameters(index = "0", paramLabel = "QUERY", description = "A Spark SQL query; tables are named as in the lake.")
  String query;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "Print at most N rows (default: ${DEFAULT-VALUE}).")
  int limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (limit < 0) {
      throw new ParameterException(spec.commandLine(), "Invalid value '" + limit + "' for option '--limit': must be >= 0");
    }
    Lake theLake = lake.existingLake();
    SparkSession spark = sparkOptions.session("workbench sql");
    // a month a killed ingest left between its commits is completed (or dropped) before the lake is read
    fr.sante.workbench.ingest.damir.PendingMonths.recover(spark, theLake, spec.commandLine().getErr()::println);
    List<String> tables = theLake.registerViews(spark);
    if (tables.isEmpty()) {
      throw new WorkbenchException(
          "Cannot run SQL: the lake '" + theLake.root() + "' has no tables (expected a folder written by 'workbench ingest')");
    }
    Dataset<Row> result = theLake.query(spark, query, tables).dataset();
    List<Row> rows = result.limit(limit + 1).collectAsList();
    boolean more = rows.size() > limit;
    List<Row> shown = more ? rows.subList(0, limit) : rows;
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case csv -> RowPrinter.csv(result.schema().fieldNames(), shown, out);
      case table -> {
        RowPrinter.table(result.schema().fieldNames(), shown, out);
        out.println(shown.size() + (shown.size() == 1 ? " row" : " rows") + (more ? " shown (more exist: raise --limit)" : ""));
      }
    }
    out.flush();
    return 0;
  }
}
