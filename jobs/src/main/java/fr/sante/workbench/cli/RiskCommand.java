package fr.sante.workbench.cli;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.RiskReport;
import fr.sante.workbench.lake.Lake;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workbench risk --lake DIR --query SQL --quasi-identifiers a,b --k 5}: re-identification risk of records. */
@Command(
    name = "risk",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the re-identification risk of record-level results (prosecutor model).",
      "Computed in Spark: equivalence-class size distribution, sample uniques, records at",
      "risk (class < k), max and mean risk. Prints statistics only; records leave",
      "the lake only through `export`."
    })
public final class RiskCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--query", required = true, paramLabel = "SQL", description = "Spark SQL over the lake's tables.")
  String query;

  @Option(names = "--quasi-identifiers", required = true, split = ",", paramLabel = "COL", description = "Columns an attacker may know.")
  List<String> quasiIdentifiers;

  @Option(names = "--k", defaultValue = "5", paramLabel = "K", description = "Records in classes smaller than K are at risk (default: ${DEFAULT-VALUE}).")
  int k;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Lake theLake = lake.lake();
    SparkSession spark = sparkOptions.session("workbench risk");
    List<String> tables = theLake.registerViews(spark);
    if (tables.isEmpty()) {
      throw new WorkbenchException("Cannot compute a risk: the lake '" + theLake.root() + "' has no tables");
    }
    RiskReport report = RiskReport.of(theLake.query(spark, query, tables).dataset(), quasiIdentifiers, k);
    PrintWriter w = spec.commandLine().getOut();
    w.println(report.describe());
    w.println(String.format(Locale.ROOT, "%-12s %14s %16s", "class size", "classes", "records"));
    for (RiskReport.SizeBand band : report.sizes()) {
      w.println(String.format(Locale.ROOT, "%-12s %,14d %,16d", band.label(), band.classes(), band.records()));
    }
    w.flush();
    return 0;
  }
}
