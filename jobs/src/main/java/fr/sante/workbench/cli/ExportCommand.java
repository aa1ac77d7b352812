package fr.sante.workbench.cli;

import fr.sante.workbench.BuildInfo;
import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.lake.Lake;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench export --lake DIR --query SQL --out DIR} with a policy: the export gate from the CLI. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Publish an aggregated table computed in SQL through the export gate: small counts are suppressed,",
      "secondary suppression protects them, the pattern is re-verified by linear programming, and",
      "table.csv + manifest.json are written with an entry in the lake's audit_log.",
      "Exit code 3 when the gate refuses (the refusal is logged; nothing else is written)."
    })
public final class ExportCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--query", required = true, paramLabel = "SQL", description = "Spark SQL over the lake's tables.")
  String query;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create for the published files.")
  Path out;

  @Option(names = "--policy", paramLabel = "FILE", description = "JSON policy (keys: dimensions, count-column, counts, min-count, zeros).")
  Path policyFile;

  @Option(names = "--dimensions", split = ",", paramLabel = "COL", description = "Dimension columns, 1 to 4 (without --policy).")
  List<String> dimensions;

  @Option(names = "--count-column", paramLabel = "COL", description = "Column holding the counts (without --policy).")
  String countColumn;

  @Option(names = "--counts", defaultValue = "rows", description = "What the count counts: persons, acts or rows (default: ${DEFAULT-VALUE}).")
  String counts;

  @Option(names = "--min-count", defaultValue = "11", paramLabel = "N", description = "No published count below N (default: ${DEFAULT-VALUE}).")
  int minCount;

  @Option(names = "--zeros", defaultValue = "publish", description = "publish or protect zero counts (default: ${DEFAULT-VALUE}).")
  String zeros;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ExportPolicy policy = policy();
    Lake theLake = lake.lake();
    SparkSession spark = sparkOptions.session("workbench export");
    if (theLake.registerViews(spark).isEmpty()) {
      throw new WorkbenchException("Cannot export: the lake '" + theLake.root() + "' has no tables");
    }
    Exports.Result result =
        Exports.write(spark, spark.sql(query), policy, new Exports.Request(theLake.tablePath(Lake.AUDIT_LOG), out, query, BuildInfo.version()));
    PrintWriter w = spec.commandLine().getOut();
    w.println(
        String.format(
            Locale.ROOT,
            "Published %s (%d cells: %d suppressed as small, %d to protect them, %,d %s hidden by secondary suppression)",
            result.table(),
            result.protection().table().cells().size(),
            result.protection().primary().size(),
            result.protection().secondary().size(),
            result.protection().secondaryLoss(),
            policy.unit().name().toLowerCase(Locale.ROOT)));
    w.println("Manifest " + result.manifest() + "; audit entry " + result.auditEntry());
    w.flush();
    return 0;
  }

  private ExportPolicy policy() {
    if (policyFile != null) {
      if (dimensions != null || countColumn != null) {
        throw new ParameterException(spec.commandLine(), "Use either --policy or --dimensions/--count-column, not both");
      }
      return ExportPolicy.read(policyFile);
    }
    if (dimensions == null || countColumn == null) {
      throw new ParameterException(spec.commandLine(), "Missing policy: give --policy FILE, or --dimensions and --count-column");
    }
    try {
      return new ExportPolicy(
          dimensions,
          countColumn,
          ExportPolicy.CountUnit.valueOf(counts.toUpperCase(Locale.ROOT)),
          new SuppressionPolicy(minCount, SuppressionPolicy.Zeros.valueOf(zeros.toUpperCase(Locale.ROOT))));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "Invalid --counts '" + counts + "' or --zeros '" + zeros + "': expected persons|acts|rows and publish|protect");
    }
  }
}
