package fr.sante.workbench.ingest.ald;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.ingest.SourceFiles;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.LakeTables;
import fr.sante.workbench.schemas.CodeList;
import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Loads ALD prevalence files (CNAM's legacy .xls series, or the long CSV layout) into {@code ald_prevalence}.
 * Every file is read and checked before anything is written; each file then replaces its own rows.
 */
public final class IngestAldJob {
  private IngestAldJob() {}

  /** @param paths .xls or .csv files, or folders holding them */
  public record Options(List<String> paths, Lake lake) {
    public Options {
      paths = List.copyOf(paths);
      Objects.requireNonNull(lake, "lake is null");
    }
  }

  /** What one file gave. */
  public record FileResult(String file, String layout, Set<Integer> years, Set<String> levels, long rows, long masked) {}

  public record Result(List<FileResult> files) {
    public Result {
      files = List.copyOf(files);
    }

    public String summary() {
      StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-50s %-6s %-10s %-10s %8s %8s%n", "file", "layout", "years", "levels", "rows", "masked"));
      for (FileResult f : files) {
        out.append(String.format(Locale.ROOT, "%-50s %-6s %-10s %-10s %,8d %,8d%n", f.file(), f.layout(), f.years(), f.levels(), f.rows(), f.masked()));
      }
      return out.toString();
    }
  }

  public static Result run(SparkSession spark, Options options) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = SourceFiles.resolve(options.paths(), Set.of(".xls", ".csv"), "ALD prevalence", conf);
    Map<Path, List<AldRow>> read = new LinkedHashMap<>();
    for (Path file : files) {
      read.put(file, read(file, conf)); // all files checked before anything is written
    }
    TableSchema schema = Schemas.aldPrevalence();
    CodeList alds = CodeLists.load("ald");
    List<FileResult> results = new ArrayList<>();
    for (Map.Entry<Path, List<AldRow>> entry : read.entrySet()) {
      String name = entry.getKey().getName();
      List<Row> rows = new ArrayList<>();
      Set<Integer> years = new TreeSet<>();
      Set<String> levels = new TreeSet<>();
      long masked = 0;
      for (AldRow r : entry.getValue()) {
        rows.add(
            RowFactory.create(
                r.year(), r.aldCode(), alds.label(String.valueOf(r.aldCode())).orElseThrow(), r.geoLevel(), r.geoCode(), r.sex(), r.ageClass(),
                r.persons(), r.personsMasked(), r.rounding(), r.stdRate100k(), name, r.nonExhaustive()));
        years.add(r.year());
        levels.add(r.geoLevel());
        masked += r.personsMasked() ? 1 : 0;
      }
      LakeTables.replace(spark, options.lake(), Lake.ALD_PREVALENCE, schema, "source_file", name, spark.createDataFrame(rows, schema.tableType()).coalesce(1));
      results.add(new FileResult(name, name.toLowerCase(Locale.ROOT).endsWith(".xls") ? "xls" : "csv", years, levels, rows.size(), masked));
    }
    return new Result(results);
  }

  private static List<AldRow> read(Path file, Configuration conf) {
    String name = file.getName();
    try (InputStream in = file.getFileSystem(conf).open(file)) {
      if (name.toLowerCase(Locale.ROOT).endsWith(".xls")) {
        return new AldXlsReader(name).read(in);
      }
      return new AldCsvReader(name).read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new WorkbenchException("Cannot read ALD prevalence file '" + file + "': " + e.getMessage(), e);
    } catch (org.apache.poi.UnsupportedFileFormatException | org.apache.poi.util.RecordFormatException e) {
      throw new AldLayoutException("Cannot read '" + name + "' as a legacy Excel (.xls, BIFF8) workbook: " + e.getMessage());
    }
  }
}
