package fr.sante.workbench.cli;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.TableInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code workbench tables --lake DIR}. */
@Command(name = "tables", mixinStandardHelpOptions = true, description = "List the lake's tables: rows, months present, Delta version.")
public final class TablesCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Lake theLake = lake.existingLake();
    SparkSession spark = sparkOptions.session("workbench tables");
    // a month a killed ingest left between its commits is completed (or dropped) before the lake is read
    fr.sante.workbench.ingest.damir.PendingMonths.recover(spark, theLake, spec.commandLine().getErr()::println);
    List<TableInfo> tables = TableInfo.describe(spark, theLake);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Lake: " + theLake.root());
    if (tables.isEmpty()) {
      out.println("(no tables yet: run 'workbench ingest damir PATH --lake " + theLake.root() + "')");
    }
    int width = Math.max("table".length(), tables.stream().mapToInt(t -> t.name().length()).max().orElse(0));
    out.println(String.format(Locale.ROOT, "%-" + width + "s %14s %8s  %s", "table", "rows", "version", "months/years"));
    for (TableInfo t : tables) {
      out.println(String.format(Locale.ROOT, "%-" + width + "s %,14d %8d  %s", t.name(), t.rows(), t.version(), t.periodsDescription()));
    }
    out.flush();
    return 0;
  }
}
