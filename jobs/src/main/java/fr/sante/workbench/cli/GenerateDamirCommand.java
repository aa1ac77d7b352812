package fr.sante.workbench.cli;

import fr.sante.workbench.generate.GenerateDamirJob.GeneratedFile;
import fr.sante.workbench.generate.GenerateDamirJob;
import fr.sante.workbench.generate.GenerateDamirOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code workbench generate damir --from 2024-01 --to 2024-12 --rows-per-month N --seed S --out DIR}. */
@Command(
    name = "damir",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic Open DAMIR months (A<yyyy><mm>.csv.gz) in the real format.",
      "Byte-compatible with the real files: same header, trailing ';', '.' decimals without leading zero, empty *_ACT_NBR, realistic shares."
    })
public final class GenerateDamirCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, paramLabel = "yyyy-MM", converter = MonthConverter.class, description = "First processing month.")
  YearMonth from;

  @Option(names = "--to", paramLabel = "yyyy-MM", converter = MonthConverter.class, description = "Last processing month (default: --from).")
  YearMonth to;

  @Option(names = "--rows-per-month", defaultValue = "100000", paramLabel = "N", description = "Lines per month (default: ${DEFAULT-VALUE}; a real month has ~36,000,000).")
  long rows;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed; the same seed gives identical files (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the number of cores).")
  Integer threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (rows < 0) {
      throw new ParameterException(spec.commandLine(), "Invalid value '" + rows + "' for option '--rows-per-month': must be >= 0");
    }
    YearMonth last = to == null ? from : to;
    if (last.isBefore(from)) {
      throw new ParameterException(spec.commandLine(), "Invalid value '" + last + "' for option '--to': must not be before --from " + from);
    }
    GenerateDamirOptions options = GenerateDamirOptions.of(from, last, rows, seed, out).withProgress(TerminalProgress.toStderr());
    if (threads != null) {
      if (threads < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid value '" + threads + "' for option '--threads': must be >= 1");
      }
      options = options.withThreads(threads);
    }
    List<GeneratedFile> files = GenerateDamirJob.run(options);
    PrintWriter w = spec.commandLine().getOut();
    for (GeneratedFile f : files) {
      w.println(String.format(Locale.ROOT, "%s  %,d rows  %,d bytes", f.path(), f.rows(), f.bytes()));
    }
    w.flush();
    return 0;
  }

  /** Parses {@code yyyy-MM}. */
  static final class MonthConverter implements ITypeConverter<YearMonth> {
    @Override
    public YearMonth convert(String value) {
      try {
        return YearMonth.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("expected a month as yyyy-MM (e.g. 2024-01) but found '" + value + "'");
      }
    }
  }
}
