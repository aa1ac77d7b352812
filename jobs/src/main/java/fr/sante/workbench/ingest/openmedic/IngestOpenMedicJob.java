package fr.sante.workbench.ingest.openmedic;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.lake.LakeTables;
import fr.sante.workbench.schemas.Schemas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Loads Open Medic into the lake's {@code open_medic} table, in its real dialect: cp1252, CRLF, {@code ;},
 * French decimals with {@code .} thousands separators ({@code 1.234,56}), header case varying by year. The
 * driver only decodes each file once into a numbered UTF-8 staging copy; Spark parses and checks the lines
 * in parallel. Bad lines go to {@code open_medic_rejects} with what was expected and found; read = accepted
 * + rejected is checked; a year of a base is replaced in one commit. ATC and CIP13 labels go to
 * {@code code_lists}.
 */
public final class IngestOpenMedicJob {
  static final Charset CP1252 = Charset.forName("windows-1252");
  private static final String INTEGER = "^-?[0-9]+$";
  /** {@code 1.234,56}, {@code 135,06}, {@code -12}, {@code 1234,5}: at most two decimals. */
  private static final String FRENCH_DECIMAL = "^-?([0-9]{1,3}(\\.[0-9]{3})+|[0-9]+)(,[0-9]{1,2})?$";
  private static final String FRENCH_INTEGER = "^([0-9]{1,3}(\\.[0-9]{3})+|[0-9]+)$";

  private IngestOpenMedicJob() {}

  public record Options(List<String> paths, Lake lake, Consumer<String> progress) {
    public Options {
      paths = List.copyOf(paths);
      Objects.requireNonNull(lake, "lake is null");
      Objects.requireNonNull(progress, "progress is null");
    }

    public Options(List<String> paths, Lake lake) {
      this(paths, lake, line -> {});
    }
  }

  /** One file ingested. */
  public record FileResult(String file, int year, String base, long read, long accepted, long rejected) {}

  public static List<FileResult> run(SparkSession spark, Options options) {
    List<OpenMedicFiles.Entry> entries = OpenMedicFiles.resolve(options.paths());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path staging = new Path(options.lake().stagingPath(), "openmedic-" + UUID.randomUUID());
    List<FileResult> results = new ArrayList<>();
    try {
      // every header first: a file we cannot read writes nothing
      List<OpenMedicHeader> headers = new ArrayList<>();
      for (OpenMedicFiles.Entry entry : entries) {
        headers.add(OpenMedicHeader.parse(firstLine(entry), entry.base(), entry.label()));
      }
      LakeTables.ensure(spark, options.lake(), Lake.OPEN_MEDIC, Schemas.openMedic());
      LakeTables.ensure(spark, options.lake(), Lake.OPEN_MEDIC_REJECTS, Schemas.openMedicRejects());
      for (int i = 0; i < entries.size(); i++) {
        results.add(ingest(spark, options, entries.get(i), headers.get(i), new Path(staging, i + ".txt"), conf));
      }
    } finally {
      try {
        staging.getFileSystem(conf).delete(staging, true);
      } catch (IOException e) {
        options.progress().accept("could not remove the staging folder " + staging + ": " + e.getMessage());
      }
    }
    return results;
  }

  private static InputStream open(OpenMedicFiles.Entry entry) throws IOException {
    if (entry.zip() == null) {
      return Files.newInputStream(entry.file());
    }
    ZipFile zip = new ZipFile(entry.zip().toFile());
    InputStream in = zip.getInputStream(zip.getEntry(entry.entry()));
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() throws IOException {
        super.close();
        zip.close();
      }
    };
  }

  private static String firstLine(OpenMedicFiles.Entry entry) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(entry), CP1252))) {
      String line = reader.readLine();
      if (line == null) {
        throw new WorkbenchException("Open Medic file '" + entry.label() + "' is empty (expected a header line)");
      }
      return line;
    } catch (IOException e) {
      throw new WorkbenchException("Cannot read Open Medic file '" + entry.label() + "': " + e.getMessage(), e);
    }
  }

  /** Decodes the file (cp1252, CR LF or LF) into {@code line_number TAB line} UTF-8 lines; returns the data lines. */
  private static long stage(OpenMedicFiles.Entry entry, Path target, Configuration conf, Consumer<String> progress) {
    long lines = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(entry), CP1252), 1 << 16);
        Writer out = new OutputStreamWriter(FileSystem.get(target.toUri(), conf).create(target, true), StandardCharsets.UTF_8)) {
      reader.readLine(); // the header, already checked
      String line;
      long number = 1;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isEmpty()) {
          continue;
        }
        out.write(Long.toString(number));
        out.write('\t');
        out.write(line);
        out.write('\n');
        if (++lines % 1_000_000 == 0) {
          progress.accept(String.format(Locale.ROOT, "%s: %,d lines decoded", entry.label(), lines));
        }
      }
    } catch (IOException e) {
      throw new WorkbenchException("Cannot read Open Medic file '" + entry.label() + "': " + e.getMessage(), e);
    }
    return lines;
  }

  private static FileResult ingest(SparkSession spark, Options options, OpenMedicFiles.Entry entry, OpenMedicHeader header, Path staged, Configuration conf) {
    options.progress().accept("decoding " + entry.label() + " (cp1252) for year " + entry.year() + ", base " + entry.base());
    long read = stage(entry, staged, conf, options.progress());
    options.progress().accept(String.format(Locale.ROOT, "parsing %,d lines of %s in Spark", read, entry.label()));
    Dataset<Row> lines =
        spark.read().text(staged.toString())
            .select(substring_index(col("value"), "\t", 1).try_cast("bigint").as("line_number"), regexp_replace(col("value"), "^[0-9]+\t", "").as("raw_line"));
    // a trailing ';' (one field too many, and empty) is tolerated; an empty last field is not a trailing ';'
    Column split = split(col("raw_line"), ";", -1);
    Column trailing = size(split).equalTo(header.width() + 1).and(org.apache.spark.sql.functions.element_at(split, -1).equalTo(""));
    Dataset<Row> fields = lines.withColumn("f", when(trailing, org.apache.spark.sql.functions.slice(split, 1, header.width())).otherwise(split));
    List<Column> reasons = new ArrayList<>();
    reasons.add(when(size(col("f")).notEqual(header.width()), concat(lit("expected " + header.width() + " fields, found "), size(col("f")).cast("string"))));
    List<Column> select = new ArrayList<>(List.of(lit(entry.year()).as("year"), lit(entry.base()).as("base")));
    for (String level : List.of("ATC1", "ATC2", "ATC3", "ATC4", "ATC5", "CIP13")) {
      select.add(text(header, level).as(level.toLowerCase(Locale.ROOT)));
    }
    select.add(text(header, "TOP_GEN").as("top_gen"));
    boolean main = entry.base().equals(OpenMedicFiles.MAIN);
    for (String[] c : new String[][] {{"GEN_NUM", "gen_num"}, {"AGE", "age"}, {"SEXE", "sex"}, {"BEN_REG", "region"}, {"PSP_SPE", "psp_spe"}}) {
      Column value = text(header, c[0]);
      reasons.add(check(value, INTEGER, c[0], "an integer", main && !c[0].equals("GEN_NUM")));
      select.add(value.try_cast("int").as(c[1]));
    }
    for (String[] c : new String[][] {{"BOITES", "boxes"}, {"NBC", "consumers"}}) {
      Column value = text(header, c[0]);
      reasons.add(check(value, FRENCH_INTEGER, c[0], "a whole number such as 1.234", main ? c[0].equals("BOITES") : c[0].equals("NBC")));
      select.add(regexp_replace(value, "\\.", "").try_cast("bigint").as(c[1]));
    }
    for (String[] c : new String[][] {{"REM", "reimbursed"}, {"BSE", "base_amount"}}) {
      Column value = text(header, c[0]);
      reasons.add(check(value, FRENCH_DECIMAL, c[0], "a French decimal such as 1.234,56", main));
      select.add(regexp_replace(regexp_replace(value, "\\.", ""), ",", ".").try_cast("decimal(18,2)").as(c[1]));
    }
    select.add(lit(entry.label()).as("source_file"));
    select.add(col("line_number"));
    Column reason = concat_ws("; ", array(reasons.toArray(Column[]::new)));
    Dataset<Row> checked = fields.withColumn("reason", reason).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      String where = "year = " + entry.year() + " AND base = '" + entry.base() + "'";
      Dataset<Row> accepted = checked.filter(col("reason").equalTo("")).select(select.toArray(Column[]::new));
      accepted.write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", where).save(options.lake().tablePath(Lake.OPEN_MEDIC));
      Dataset<Row> rejects =
          checked.filter(col("reason").notEqual(""))
              .select(lit(entry.year()).as("year"), lit(entry.base()).as("base"), lit(entry.label()).as("source_file"), col("line_number"), col("raw_line"), col("reason"));
      rejects.write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", where).save(options.lake().tablePath(Lake.OPEN_MEDIC_REJECTS));
      long accepted_ = spark.read().format("delta").load(options.lake().tablePath(Lake.OPEN_MEDIC)).where(where).count();
      long rejected = spark.read().format("delta").load(options.lake().tablePath(Lake.OPEN_MEDIC_REJECTS)).where(where).count();
      if (accepted_ + rejected != read) {
        throw new WorkbenchException(String.format(Locale.ROOT, "Open Medic %s: read %d lines but the lake holds %d accepted + %d rejected", entry.label(), read, accepted_, rejected));
      }
      OpenMedicLabels.write(spark, options.lake(), checked.filter(col("reason").equalTo("")), header);
      options.progress().accept(String.format(Locale.ROOT, "%s: %,d lines read, %,d accepted, %,d rejected", entry.label(), read, accepted_, rejected));
      return new FileResult(entry.label(), entry.year(), entry.base(), read, accepted_, rejected);
    } finally {
      checked.unpersist();
    }
  }

  /** The trimmed text of a column of the header, or null when the file has no such column. */
  static Column text(OpenMedicHeader header, String column) {
    Integer position = header.positions().get(column);
    // try_element_at: a line with too few fields is rejected for its field count, not failed by ANSI mode
    return position == null ? lit(null).cast("string") : trim(org.apache.spark.sql.functions.try_element_at(col("f"), lit(position + 1)));
  }

  /** The reason a value is refused: present but not matching, or missing while required. */
  private static Column check(Column value, String pattern, String column, String expected, boolean required) {
    Column bad = value.isNotNull().and(value.notEqual("")).and(value.rlike(pattern).unary_$bang());
    Column missing = value.isNull().or(value.equalTo(""));
    Column refused = required ? bad.or(missing) : bad;
    return when(refused, concat(lit(column + ": expected " + expected + ", found '"), org.apache.spark.sql.functions.coalesce(value, lit("")), lit("'")));
  }
}
