package fr.sante.workbench.anonymisation;

import fr.sante.workbench.schemas.CsvLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one codec of a published model's {@code coefficients.csv}: comma-separated, RFC 4180 quoting, a header line. */
final class CoefficientsCsv {
  static final List<String> HEADER = List.of("term", "factor", "level", "reference_level", "estimate", "std_error");

  private CoefficientsCsv() {}

  /** The file's lines after the header: the intercept first, then each coefficient as given. */
  static List<List<String>> lines(ModelFit fit) {
    List<List<String>> lines = new ArrayList<>();
    for (ModelFit.Coefficient c : fit.coefficients()) {
      String reference = c.isIntercept() ? "" : fit.references().getOrDefault(c.factor(), "");
      lines.add(List.of(c.term(), c.factor(), c.level(), reference, number(c.estimate()), number(c.stdError())));
    }
    return lines;
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%.8f", value);
  }

  static void write(Path file, List<List<String>> lines) throws IOException {
    StringBuilder text = new StringBuilder(String.join(",", HEADER)).append('\n');
    for (List<String> line : lines) {
      text.append(String.join(",", line.stream().map(CsvLines::quote).toList())).append('\n');
    }
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
  }

  /** The lines after the header; a file whose header is not {@link #HEADER} is an error naming both. */
  static List<List<String>> read(Path file) throws IOException {
    List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (text.isEmpty() || !CsvLines.split(text.get(0), ',').equals(HEADER)) {
      throw new AnonymisationException("Expected the header " + String.join(",", HEADER) + " in " + file + " but found '" + (text.isEmpty() ? "" : text.get(0)) + "'");
    }
    List<List<String>> lines = new ArrayList<>();
    for (String line : text.subList(1, text.size())) {
      lines.add(CsvLines.split(line, ','));
    }
    return lines;
  }
}
