package fr.sante.workbench.cli;

import fr.sante.workbench.ingest.openmedic.IngestOpenMedicJob;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workbench ingest openmedic PATH... --lake DIR}. */
@Command(
    name = "openmedic",
    mixinStandardHelpOptions = true,
    description = {
      "Load Open Medic (drugs dispensed by ATC class and CIP13) into table open_medic.",
      "Reads zips holding OPEN_MEDIC_<yyyy>.CSV or NB_<yyyy>....CSV, or the CSV files, or folders of them; cp1252, CRLF, ';',",
      "French decimals (1.234,56); bad lines to open_medic_rejects; a year of a base is replaced."
    })
public final class IngestOpenMedicCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = ".zip or .csv files, or folders holding them.")
  List<String> paths;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<IngestOpenMedicJob.FileResult> results =
        IngestOpenMedicJob.run(sparkOptions.session("workbench ingest openmedic"), new IngestOpenMedicJob.Options(paths, lake.lake(), TerminalProgress.lines()));
    PrintWriter out = spec.commandLine().getOut();
    out.println(String.format(Locale.ROOT, "%-40s %6s %-10s %12s %12s %10s", "file", "year", "base", "read", "accepted", "rejected"));
    for (IngestOpenMedicJob.FileResult r : results) {
      out.println(String.format(Locale.ROOT, "%-40s %6d %-10s %,12d %,12d %,10d", r.file(), r.year(), r.base(), r.read(), r.accepted(), r.rejected()));
    }
    out.flush();
    return 0;
  }
}
