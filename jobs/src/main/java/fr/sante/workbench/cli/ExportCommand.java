package fr.sante.workbench.cli;

import fr.sante.workbench.BuildInfo;
import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.Generalisation;
import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.KAnonymity;
import fr.sante.workbench.anonymisation.LDiversity;
import fr.sante.workbench.anonymisation.MicrodataPolicy;
import fr.sante.workbench.anonymisation.Policy;
import fr.sante.workbench.anonymisation.QueryRefusedException;
import fr.sante.workbench.anonymisation.ReadOnlyQuery;
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
      "Publish a result computed in SQL through the export gate.",
      "Every attempt gets an entry in the lake's audit_log. Exit code 3 when the gate refuses (the refusal is",
      "logged; nothing else is written).",
      "",
      "Table (--dimensions and --count-column, or a table policy): small counts and",
      "dominated amounts are hidden, secondary suppression protects them (linear",
      "programming or certified hypercubes); table.csv + manifest.json.",
      "",
      "Records (--quasi-identifier COL=HIERARCHY... and --k, or a record policy):",
      "the least-loss generalisation that is k-anonymous (and l-diverse) with at",
      "most --max-suppression of the records suppressed; records.csv +",
      "manifest.json (generalisation, loss, risk before and after).",
      "Hierarchies: a file in ARX's layout (value;level1;...;*) or built-in",
      "geography, month (yyyy-MM), age. Policy files: JSON or YAML (see README).",
      ""
    })
public final class ExportCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--query", required = true, paramLabel = "SQL", description = "Spark SQL over the lake's tables.")
  String query;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create for the published files.")
  Path out;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "JSON or YAML policy: a table's (dimensions, count-column, counts, min-count, zeros) or records' (quasi-identifiers, k, max-suppression, sensitive, insensitive).")
  Path policyFile;

  @Option(names = "--dimensions", split = ",", paramLabel = "COL", description = "Dimension columns, 1 to 4 (without --policy).")
  List<String> dimensions;

  @Option(names = "--count-column", paramLabel = "COL", description = "Column holding the counts (without --policy).")
  String countColumn;

  @Option(names = "--counts", defaultValue = "rows", description = "What the count counts: persons, acts, rows, boxes or consumers (default: ${DEFAULT-VALUE}).")
  String counts;

  @Option(names = "--min-count", defaultValue = "11", paramLabel = "N", description = "No published count below N (default: ${DEFAULT-VALUE}).")
  int minCount;

  @Option(names = "--zeros", defaultValue = "publish", description = "publish or protect zero counts (default: ${DEFAULT-VALUE}).")
  String zeros;

  @Option(
      names = "--margins",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Table: publish the margins (Total rows); --no-margins publishes inner cells only, still protected as if the totals were known.")
  boolean margins;

  @Option(names = "--rounding", defaultValue = "1", paramLabel = "BASE", description = "Table: round published counts to a multiple of BASE (default: ${DEFAULT-VALUE}, exact).")
  int rounding;

  @Option(
      names = "--secondary",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Table: secondary suppression (default); --no-secondary publishes only if the small cells are protected without it, else refuses (exit 3).")
  boolean secondary;

  @Option(names = "--parquet", description = "Also write the published file as Parquet (table.parquet or records.parquet).")
  boolean parquet;

  @Option(names = "--amount-columns", split = ",", paramLabel = "COL", description = "Table: amount columns (decimal, euros) published with the count.")
  List<String> amountColumns;

  @Option(names = "--contributor-column", paramLabel = "COL", description = "Table: who contributes to the amounts (default: each row).")
  String contributorColumn;

  @Option(names = "--dominance", paramLabel = "N,K", description = "Table: (n, k) rule: hide a cell whose N largest contributors exceed K %% of its amount.")
  String dominanceRule;

  @Option(names = "--p-percent", paramLabel = "P", description = "Table: p %% rule: hide a cell whose second contributor could estimate the first within P %%.")
  Double pPercent;

  @Option(names = "--quasi-identifier", paramLabel = "COL=HIERARCHY", description = "Records: a quasi-identifier and its hierarchy (file, geography, month or age); repeat.")
  java.util.LinkedHashMap<String, String> quasiIdentifiers;

  @Option(names = "--k", paramLabel = "K", description = "Records: smallest class size (k-anonymity).")
  Integer k;

  @Option(names = "--max-suppression", defaultValue = "0", paramLabel = "SHARE", description = "Records: share of records that may be suppressed, e.g. 0.02 (default: ${DEFAULT-VALUE}).")
  double maxSuppression;

  @Option(names = "--sensitive", paramLabel = "COL=L", description = "Records: a sensitive column and its distinct l-diversity; repeat.")
  java.util.LinkedHashMap<String, Integer> sensitive;

  @Option(names = "--insensitive", split = ",", paramLabel = "COL", description = "Records: columns published as they are.")
  List<String> insensitive;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Policy policy = policy();
    Lake theLake = lake.lake();
    SparkSession spark = sparkOptions.session("workbench export");
    java.util.Map<String, Long> pinned = theLake.registerPinnedViews(spark);
    if (pinned.isEmpty()) {
      throw new WorkbenchException("Cannot export: the lake '" + theLake.root() + "' has no tables");
    }
    ReadOnlyQuery.Checked checked;
    try {
      checked = theLake.query(spark, query, pinned.keySet());
    } catch (QueryRefusedException e) {
      // an attempt too: audited, then exit 2
      AuditLog.append(
          spark, theLake.tablePath(Lake.AUDIT_LOG),
          new AuditLog.Entry(java.time.Instant.now().toString(), System.getProperty("user.name", "unknown"), "REFUSED", query, policy.toJson(), "", "{}", 0, 0, 0, e.getMessage()));
      throw e;
    }
    // the manifest's inputs: the tables the query reads, at the versions it reads
    java.util.Map<String, Long> inputs = new java.util.TreeMap<>(pinned);
    inputs.keySet().retainAll(checked.tables());
    Exports.Request request =
        new Exports.Request(theLake.tablePath(Lake.AUDIT_LOG), out, query, BuildInfo.version(), inputs, parquet)
            .withProgress(TerminalProgress.lines());
    PrintWriter w = spec.commandLine().getOut();
    if (policy instanceof MicrodataPolicy records) {
      Exports.MicrodataResult result = Exports.writeMicrodata(spark, checked.dataset(), records, request);
      Generalisation g = result.anonymised().generalisation();
      w.println(
          String.format(
              Locale.ROOT,
              "Published %s: %,d of %,d records (%,d suppressed, %.2f %%), %,d classes; generalisation %s; loss %.4f (%,d of %,d generalisations evaluated)",
              result.records(), g.records() - g.suppressedRecords(), g.records(), g.suppressedRecords(), 100.0 * g.suppressedRecords() / g.records(), g.classes(),
              g.describe(), g.loss(), g.evaluatedNodes(), g.latticeNodes()));
      w.println("Risk before: " + result.anonymised().before().describe());
      w.println("Risk after:  " + result.anonymised().after().describe());
      w.println("Manifest " + result.manifest() + "; audit entry " + result.auditEntry());
      w.flush();
      return 0;
    }
    ExportPolicy table = (ExportPolicy) policy;
    Exports.Result result = Exports.write(spark, checked.dataset(), table, request);
    fr.sante.workbench.anonymisation.TableManifest manifest = result.published().manifest();
    w.println(
        String.format(
            Locale.ROOT,
            "Published %s (%,d lines%s, %,d of them hidden; of all %,d cells protected: %,d suppressed as small or dominated, %,d to protect them, %,d %s hidden by secondary suppression; protection by %s)",
            result.table(),
            result.published().cells().size(),
            table.margins() ? "" : ", margins not published",
            result.published().suppressedCells(),
            manifest.cells(),
            result.protection().primary(),
            result.protection().secondary(),
            result.protection().secondaryLoss(),
            table.unit().name().toLowerCase(Locale.ROOT),
            manifest.method().describe()));
    w.println("Manifest " + result.manifest() + "; audit entry " + result.auditEntry());
    w.flush();
    return 0;
  }

  /** {@code --dominance N,K} and {@code --p-percent P} as one rule, or null when neither is given. */
  static fr.sante.workbench.anonymisation.DominanceRule dominance(CommandSpec spec, String rule, Double pPercent) {
    int n = 0;
    double k = 0;
    if (rule != null) {
      String[] parts = rule.split(",", -1);
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        n = Integer.parseInt(parts[0].strip());
        k = Double.parseDouble(parts[1].strip());
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(), "Invalid --dominance '" + rule + "': expected N,K, e.g. 1,85");
      }
    }
    return rule == null && pPercent == null ? null : new fr.sante.workbench.anonymisation.DominanceRule(n, k, pPercent == null ? 0 : pPercent);
  }

  private Policy policy() {
    boolean tableFlags =
        dimensions != null || countColumn != null || amountColumns != null || dominanceRule != null || pPercent != null || contributorColumn != null;
    boolean recordFlags = quasiIdentifiers != null || k != null || sensitive != null || insensitive != null;
    if (policyFile != null) {
      if (tableFlags || recordFlags) {
        throw new ParameterException(spec.commandLine(), "Use either --policy or policy flags (--dimensions…, --quasi-identifier…), not both");
      }
      return Policy.read(policyFile);
    }
    if (tableFlags && recordFlags) {
      throw new ParameterException(spec.commandLine(), "Use either table flags (--dimensions, --count-column) or record flags (--quasi-identifier, --k…), not both");
    }
    if (recordFlags) {
      if (quasiIdentifiers == null || k == null) {
        throw new ParameterException(spec.commandLine(), "Missing record policy: give --quasi-identifier COL=HIERARCHY (one or more) and --k");
      }
      List<Hierarchy> hierarchies = new java.util.ArrayList<>();
      quasiIdentifiers.forEach((column, hierarchy) -> hierarchies.add(Hierarchy.of(column, hierarchy, Path.of(""))));
      List<LDiversity> diversity = new java.util.ArrayList<>();
      if (sensitive != null) {
        sensitive.forEach((column, l) -> diversity.add(new LDiversity(column, l)));
      }
      return new MicrodataPolicy(
          new KAnonymity(List.copyOf(quasiIdentifiers.keySet()), k), hierarchies, diversity, insensitive == null ? List.of() : insensitive, maxSuppression);
    }
    if (dimensions == null || countColumn == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing policy: give --policy FILE, or --dimensions and --count-column (a table), or --quasi-identifier and --k (records)");
    }
    fr.sante.workbench.anonymisation.DominanceRule dominance = dominance(spec, dominanceRule, pPercent);
    try {
      return new ExportPolicy(
          dimensions,
          countColumn,
          ExportPolicy.CountUnit.valueOf(counts.toUpperCase(Locale.ROOT)),
          new SuppressionPolicy(minCount, SuppressionPolicy.Zeros.valueOf(zeros.toUpperCase(Locale.ROOT))),
          amountColumns == null ? List.of() : amountColumns,
          contributorColumn,
          dominance,
          margins,
          rounding,
          secondary);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "Invalid --counts '" + counts + "' or --zeros '" + zeros + "': expected persons|acts|rows|boxes and publish|protect");
    }
  }
}
