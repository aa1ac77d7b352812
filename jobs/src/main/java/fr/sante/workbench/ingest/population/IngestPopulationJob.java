package fr.sante.workbench.ingest.population;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.ingest.SourceFiles;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.LakeTables;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import java.io.BufferedReader;
import java.io.IOException;
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

/** Loads population denominators (INSEE estimates, régime général protected population) into {@code population}. */
public final class IngestPopulationJob {
  private IngestPopulationJob() {}

  public record Options(List<String> paths, Lake lake) {
    public Options {
      paths = List.copyOf(paths);
      Objects.requireNonNull(lake, "lake is null");
    }
  }

  /** What one file gave; {@code mergedRows} counts source rows added to another of the same département. */
  public record FileResult(String file, String source, Set<Integer> years, int departements, long rows, long persons, int mergedRows) {}

  public record Result(List<FileResult> files) {
    public Result {
      files = List.copyOf(files);
    }

    public String summary() {
      StringBuilder out = new StringBuilder(
          String.format(Locale.ROOT, "%-48s %-16s %-22s %5s %7s %14s %7s%n", "file", "source", "years", "deps", "rows", "persons", "merged"));
      for (FileResult f : files) {
        out.append(
            String.format(
                Locale.ROOT, "%-48s %-16s %-22s %5d %,7d %,14d %7d%n", f.file(), f.source(), f.years(), f.departements(), f.rows(), f.persons(), f.mergedRows()));
      }
      return out.toString();
    }
  }

  public static Result run(SparkSession spark, Options options) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = SourceFiles.resolve(options.paths(), Set.of(".csv"), "population", conf);
    Map<Path, PopulationReader.Read> read = new LinkedHashMap<>();
    for (Path file : files) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getFileSystem(conf).open(file), StandardCharsets.UTF_8))) {
        read.put(file, new PopulationReader(file.getName()).read(in));
      } catch (IOException e) {
        throw new WorkbenchException("Cannot read population file '" + file + "': " + e.getMessage(), e);
      }
    }
    TableSchema schema = Schemas.population();
    List<FileResult> results = new ArrayList<>();
    for (Map.Entry<Path, PopulationReader.Read> entry : read.entrySet()) {
      String name = entry.getKey().getName();
      List<Row> rows = new ArrayList<>();
      Set<Integer> years = new TreeSet<>();
      Set<String> deps = new TreeSet<>();
      long persons = 0;
      String source = "";
      for (PopulationReader.Figure f : entry.getValue().figures()) {
        rows.add(RowFactory.create(f.year(), "DEP", f.geoCode(), f.sex(), f.ageMin(), f.ageMax(), f.persons(), f.source(), name));
        years.add(f.year());
        deps.add(f.geoCode());
        persons += f.persons();
        source = f.source();
      }
      LakeTables.replace(spark, options.lake(), Lake.POPULATION, schema, "source_file", name, spark.createDataFrame(rows, schema.tableType()).coalesce(1));
      results.add(new FileResult(name, source, years, deps.size(), rows.size(), persons, entry.getValue().mergedRows()));
    }
    return new Result(results);
  }
}
