package fr.sante.workbench.cli;

import fr.sante.workbench.demo.DemoJob.DemoResult;
import fr.sante.workbench.demo.DemoJob;
import fr.sante.workbench.demo.DemoOptions;
import fr.sante.workbench.lake.TableInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench demo [--dir DIR]}: the end-to-end tour on the embedded Spark. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole workbench on synthetic data, from raw files to published studies.",
      "Generates a synthetic year of Open DAMIR (2024), ingests it into a local Delta lake, shows what was",
      "built, publishes a first table through the export gate, then loads synthetic population, ALD",
      "prevalence and Open Medic and runs the five studies (expenditure, prescription, medicines, ald,",
      "model). About two and a half minutes on 2 cores."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", defaultValue = "demo", paramLabel = "DIR", description = "Where to put raw/ and lake/ (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--rows-per-month", defaultValue = "50000", paramLabel = "N", description = "Synthetic lines per month (default: ${DEFAULT-VALUE}).")
  long rows;

  @Mixin SparkOptions sparkOptions;
  @Mixin LanguageOption lang;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (rows < 1) {
      throw new ParameterException(spec.commandLine(), "Invalid value '" + rows + "' for option '--rows-per-month': must be >= 1");
    }
    DemoOptions options =
        DemoOptions.of(dir.toAbsolutePath().normalize()).withRowsPerMonth(rows).withProgress(TerminalProgress.toStderr()).withLanguage(lang.language());
    DemoResult result = DemoJob.run(sparkOptions.session("workbench demo"), options);
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.println("1. Generated " + result.generated().size() + " synthetic months in " + options.rawDir());
    out.println();
    out.println("2. Ingested them into the Delta lake " + options.lakeDir());
    out.print(result.ingest().summary());
    out.println();
    out.println("3. Tables of the lake");
    out.println(String.format(Locale.ROOT, "   %-14s %14s %8s  %s", "table", "rows", "version", "months/years"));
    for (TableInfo t : result.tables()) {
      out.println(String.format(Locale.ROOT, "   %-14s %,14d %8d  %s", t.name(), t.rows(), t.version(), t.periodsDescription()));
    }
    out.println();
    out.println("4. Reimbursements by region of residence, 2024 (FLT_REM_MNT, scope TOP_PS5_TRG = 1; synthetic data)");
    RowPrinter.table(new String[] {"BEN_RES_REG", "label", "lines", "spent_eur", "reimbursed_eur"}, result.byRegion(), out);
    out.println();
    out.println("5. By processing month: lines, reimbursed, of which under ALD exemption (EXO_MTF 41-46)");
    RowPrinter.table(new String[] {"FLX_ANN_MOI", "lines", "reimbursed_eur", "ald_reimbursed_eur"}, result.byMonth(), out);
    out.println();
    var export = result.export();
    out.println("6. Published through the export gate (lines and reimbursements by region x age class x sex):");
    out.println(
        String.format(
            Locale.ROOT,
            "   %s: %d cells, %d small cells hidden, %d more hidden to protect them; manifest and audit entry %d",
            export.table(), export.published().manifest().cells(), export.protection().primary(), export.protection().secondary(),
            export.auditEntry()));
    out.println();
    out.println("7. Studies, each table through the gate, report and charts from the published files:");
    for (var study : result.studies()) {
      int coefficients = study.models().stream().mapToInt(m -> m.published().parameters()).sum();
      String published = study.models().isEmpty() ? plural(study.tables().size(), "table") + " published" : plural(coefficients, "coefficient") + " published";
      out.println(String.format(Locale.ROOT, "   %-12s %s, %d derived, %s: %s", study.study(), published, study.derived().size(), plural(study.charts().size(), "chart"), study.report()));
    }
    result.skipped().forEach(line -> out.println("   skipped " + line));
    out.println();
    out.println("Next:");
    String lake = options.lakeDir().toString();
    for (String line :
        List.of(
            "./workbench tables --lake " + lake,
            "./workbench sql --lake " + lake + " \"SELECT PRS_NAT, label, sum(FLT_REM_MNT) FROM damir JOIN code_lists ON column_name = 'PRS_NAT' AND code = cast(PRS_NAT AS string) GROUP BY 1, 2 ORDER BY 3 DESC\"",
            "./workbench sql --lake " + lake + " --format csv \"SELECT * FROM ingest_log\"",
            "./workbench audit verify --lake " + lake,
            "./workbench audit report " + export.auditEntry() + " --lake " + lake + " --out export-report.html")) {
      out.println("  " + line);
    }
    out.flush();
    return 0;
  }

  /** {@code 1 table}, {@code 2 tables}. */
  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
