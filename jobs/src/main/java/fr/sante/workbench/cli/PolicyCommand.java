package fr.sante.workbench.cli;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.AuditKey;
import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.DpoPolicy;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workbench policy show|set --lake DIR}: the DPO's floor for every export of the lake. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
      "Show or set the lake's floor, the least strict export it allows.",
      "Every export of the lake is at least this strict (an analyst may ask for more, never less: a looser export is refused with exit 3, naming the floor). The floor is a signed POLICY",
      "entry of the audit log; set needs the DPO's audit key (workbench audit init). Options not given to set",
      "keep their default: min-count 11, zeros publish, rounding 1, no dominance rule, k 5."
    })
public final class PolicyCommand implements Callable<Integer> {
  /** What to do. */
  enum Action {
    show,
    set
  }

  @Parameters(index = "0", description = "show or set.")
  Action action;

  @Option(names = "--min-count", paramLabel = "N", description = "set: no published count below N (at least 2).")
  Integer minCount;

  @Option(names = "--zeros", paramLabel = "RULE", description = "set: publish or protect zero counts.")
  String zeros;

  @Option(names = "--rounding", paramLabel = "BASE", description = "set: published counts rounded to a multiple of BASE.")
  Integer rounding;

  @Option(names = "--dominance", paramLabel = "N,K", description = "set: every table with amounts applies an (n, k) rule at least this strict.")
  String dominanceRule;

  @Option(names = "--p-percent", paramLabel = "P", description = "set: every table with amounts applies a p %% rule at least this strict.")
  Double pPercent;

  @Option(names = "--k", paramLabel = "K", description = "set: the least k of a record-level export.")
  Integer k;

  @Option(
      names = "--allow-insensitive",
      split = ",",
      paramLabel = "COL",
      description = "set: result columns a record-level export may publish as insensitive although more than 1 %% of the records have a unique value (never a quasi-identifier).")
  List<String> allowInsensitive;

  @Option(
      names = "--public-source",
      split = ",",
      paramLabel = "TABLE",
      description = "set: a lake table whose producer publishes every row as open data (data-schemas says which: ald_prevalence, open_medic, damir), as it is now (its current Delta version; a later ingest into it ends the declaration); a published cell that is exactly one of its rows passes without suppression, and the manifest lists it.")
  List<String> publicSources;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  /** Each table declared public with its current Delta version: the declaration holds for the rows the DPO can see now. */
  private java.util.Map<String, Long> declared(Lake theLake, List<String> tables) {
    if (tables == null || tables.isEmpty()) {
      return java.util.Map.of();
    }
    java.util.Map<String, Long> versions = theLake.registerPinnedViews(sparkOptions.session("workbench policy"));
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (String table : tables) {
      DpoPolicy.checkOpenData(table);
      if (!versions.containsKey(table)) {
        throw new WorkbenchException("Cannot declare '" + table + "' public: the lake '" + theLake.root() + "' has no such table (ingest it first)");
      }
      out.put(table, versions.get(table));
    }
    return out;
  }

  @Override
  public Integer call() {
    Lake theLake = lake.lake();
    PrintWriter out = spec.commandLine().getOut();
    if (action == Action.set) {
      AuditKey key =
          AuditKey.find()
              .orElseThrow(() -> new WorkbenchException("Cannot set the lake's policy: no audit key at " + AuditKey.location(System.getenv()) + " (the DPO runs 'workbench audit init --lake' first)"));
      DpoPolicy d = DpoPolicy.DEFAULT;
      SuppressionPolicy.Zeros zeroRule = d.zeros();
      if (zeros != null) {
        zeroRule = Choices.parse(spec, "--zeros", zeros, SuppressionPolicy.Zeros.class);
      }
      DpoPolicy policy =
          new DpoPolicy(minCount != null ? minCount : d.minCount(), zeroRule, rounding != null ? rounding : d.rounding(), ExportCommand.dominance(spec, dominanceRule, pPercent),
              k != null ? k : d.k(), allowInsensitive == null ? List.of() : allowInsensitive, declared(theLake, publicSources));
      SparkSession spark = sparkOptions.session("workbench policy");
      long entry = AuditLog.setFloor(spark, theLake.tablePath(Lake.AUDIT_LOG), policy, key, System.getProperty("user.name", "unknown"));
      out.println("The lake's floor is now " + policy.toJson() + " (signed audit entry " + entry + ")");
    } else {
      SparkSession spark = sparkOptions.session("workbench policy");
      DpoPolicy policy = AuditLog.floor(spark, theLake.tablePath(Lake.AUDIT_LOG));
      out.println(String.format(Locale.ROOT, "%-10s %s", "min-count", policy.minCount()));
      out.println(String.format(Locale.ROOT, "%-10s %s", "zeros", policy.zeros().name().toLowerCase(Locale.ROOT)));
      out.println(String.format(Locale.ROOT, "%-10s %s", "rounding", policy.rounding()));
      out.println(String.format(Locale.ROOT, "%-10s %s", "dominance", policy.dominance() == null ? "none" : policy.dominance()));
      out.println(String.format(Locale.ROOT, "%-10s %s", "k", policy.k()));
      out.println(String.format(Locale.ROOT, "%-10s %s", "insensitive", policy.insensitive().isEmpty() ? "none allowed beyond the rules" : policy.insensitive()));
      out.println(String.format(Locale.ROOT, "%-10s %s", "public", policy.publicSources().isEmpty() ? "no source declared public" : policy.publicSources()
          + " (table=version: a cell that is exactly one of their rows at that version passes without suppression)"));
      out.println(policy.equals(DpoPolicy.DEFAULT) ? "(the default: the DPO has not set a floor for this lake)" : "(set by the DPO: the newest POLICY entry of 'workbench audit list')");
    }
    out.flush();
    return 0;
  }
}
