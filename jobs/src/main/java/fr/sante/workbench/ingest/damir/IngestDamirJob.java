package fr.sante.workbench.ingest.damir;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.BuildInfo;
import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import fr.sante.workbench.spark.SparkInternals;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * Loads Open DAMIR monthly files into the lake's {@code damir} table, one Delta commit per month.
 *
 * <p>For each file: the header is checked (all files' headers before anything is written), the file is
 * read once on the driver (hash, line count, line-aligned chunks, decompressed copy for gzip), then the
 * chunks are parsed in parallel and the month is replaced atomically ({@code replaceWhere}). Rejected lines
 * go to {@code damir_rejects}, and a row to {@code ingest_log} records the counts, which always satisfy
 * read = accepted + rejected.
 */
public final class IngestDamirJob {
  /** Staging folders of runs killed more than this long ago are removed by the next ingest. */
  static final long STALE_STAGING_MILLIS = 6L * 3600 * 1000;

  private static final StructType REJECT_FILE =
      new StructType()
          .add("line_number", DataTypes.LongType, false)
          .add("raw_line", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, false);

  private IngestDamirJob() {}

  /** Ingests every file of {@code options}, in month order. */
  public static IngestDamirResult run(SparkSession spark, IngestDamirOptions options) {
    TableSchema schema = Schemas.openDamir();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<DamirSource> sources = DamirSources.resolve(options.paths(), conf);
    for (DamirSource source : sources) {
      Indexer.checkHeader(schema, source, conf);
    }
    String ingestId = newIngestId();
    Path runDir = new Path(options.lake().stagingPath(), ingestId);
    removeStaleStaging(options.lake(), conf);
    IngestTables tables = new IngestTables(spark, options.lake());
    // Table set-up runs on Spark while the driver reads the first file: the two overlap.
    CompletableFuture<Void> setUp =
        CompletableFuture.runAsync(
            () -> {
              tables.ensureTable(Lake.DAMIR, schema);
              tables.writeCodeListsIfChanged();
            });
    RunContext run = new RunContext(spark, options, tables, schema, ingestId, conf, setUp);
    List<FileResult> results = new ArrayList<>();
    try {
      // several files: read them (hash, count, chunk, inflate) in one Spark job, one task per file, so a
      // cluster reads a year of months at once; one file: on the driver, with byte-level progress
      Map<Integer, Indexer.Indexed> indexed = sources.size() > 1 ? indexOnExecutors(run, sources, runDir) : Map.of();
      for (DamirSource source : sources) {
        results.add(ingestFile(run, source, new Path(runDir, String.valueOf(source.month())), indexed.get(source.month())));
      }
    } finally {
      delete(runDir, conf);
    }
    return new IngestDamirResult(options.lake().root(), results);
  }

  /** What every file of one run shares. */
  private record RunContext(
      SparkSession spark,
      IngestDamirOptions options,
      IngestTables tables,
      TableSchema schema,
      String ingestId,
      Configuration conf,
      CompletableFuture<Void> setUp) {

    /** Waits for the table set-up, rethrowing its failure as is. */
    void awaitSetUp() {
      try {
        setUp.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  /** Indexes every file in one Spark job with one task per file; month → index. */
  private static Map<Integer, Indexer.Indexed> indexOnExecutors(RunContext run, List<DamirSource> sources, Path runDir) {
    SparkSession spark = run.spark();
    Map<String, String> settings = hadoopSettings(run.conf());
    long chunkBytes = run.options().chunkBytes();
    int minChunks = 2 * spark.sparkContext().defaultParallelism();
    String staging = runDir.toString();
    long bytes = 0;
    for (DamirSource source : sources) {
      bytes += sizeOf(source, run.conf());
    }
    String group = "INDEX-DAMIR-" + run.ingestId();
    spark.sparkContext().setJobGroup(group, "Read " + sources.size() + " Open DAMIR files, one task per file", false);
    String label = sources.size() + " files";
    StageProgress progress = new StageProgress(spark, group, sources.size(), label, "reading", bytes, -1, run.options().progress());
    try {
      List<Indexer.Indexed> all =
          JavaSparkContext.fromSparkContext(spark.sparkContext())
              .parallelize(sources, sources.size())
              .map(source -> {
                Configuration conf = new Configuration(false);
                settings.forEach(conf::set);
                return Indexer.index(Schemas.openDamir(), source, new Path(staging, String.valueOf(source.month())).toString(), chunkBytes, minChunks, conf, Progress.SILENT);
              })
              .collect();
      run.options().progress().update(label, "reading", bytes, bytes, all.stream().mapToLong(Indexer.Indexed::rowsRead).sum(), all.stream().mapToLong(Indexer.Indexed::rowsRead).sum(), true);
      Map<Integer, Indexer.Indexed> byMonth = new java.util.HashMap<>();
      all.forEach(i -> byMonth.put(i.source().month(), i));
      return byMonth;
    } catch (Exception e) { // SparkException is checked, though Scala's collect does not declare it
      throw new WorkbenchException(taskMessage(e), e);
    } finally {
      progress.close();
      spark.sparkContext().clearJobGroup();
    }
  }

  private static long sizeOf(DamirSource source, Configuration conf) {
    Path path = new Path(source.path());
    try {
      return path.getFileSystem(conf).getFileStatus(path).getLen();
    } catch (java.io.IOException e) {
      throw new WorkbenchException("Cannot read Open DAMIR file '" + source.path() + "': " + e.getMessage(), e);
    }
  }

  private static FileResult ingestFile(RunContext run, DamirSource source, Path dir, Indexer.Indexed preIndexed) {
    SparkSession spark = run.spark();
    IngestDamirOptions options = run.options();
    IngestTables tables = run.tables();
    Configuration conf = run.conf();
    String ingestId = run.ingestId();
    TableSchema schema = run.schema();
    Instant start = Instant.now();
    int parallelism = spark.sparkContext().defaultParallelism();
    Indexer.Indexed indexed =
        preIndexed != null ? preIndexed : Indexer.index(schema, source, dir.toString(), options.chunkBytes(), 2 * parallelism, conf, options.progress());
    run.awaitSetUp();
    String outDir = new Path(dir, "out").toString();
    List<Chunk> chunks = indexed.chunks();
    ChunkParser parser = new ChunkParser(indexed.layout(), source.month(), source.name(), outDir, hadoopSettings(conf));
    JavaRDD<InternalRow> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(chunks, Math.max(1, chunks.size())).mapPartitions(parser);
    Dataset<Row> typed = SparkInternals.createDataFrame(spark, rows, schema.tableType());
    disableDictionaryOnAmounts(spark, schema);
    String group = "INGEST-DAMIR-" + source.month();
    spark.sparkContext().setJobGroup(group, "Ingest Open DAMIR " + source.name(), false);
    StageProgress stageProgress =
        new StageProgress(spark, group, chunks.size(), source.name(), indexed.dataBytes(), indexed.rowsRead(), options.progress());
    try {
      typed
          .write()
          .format("delta")
          .mode(SaveMode.Overwrite)
          .option("replaceWhere", DamirLineParser.FLX_ANN_MOI + " = " + source.month())
          .partitionBy(DamirLineParser.FLX_ANN_MOI)
          .save(options.lake().tablePath(Lake.DAMIR));
    } catch (RuntimeException e) {
      throw new WorkbenchException(
          "Cannot write month " + source.month() + " of '" + source.name() + "' to table damir: " + rootMessage(e) + " (the table keeps its previous version)",
          e);
    } finally {
      stageProgress.close();
      spark.sparkContext().clearJobGroup();
    }
    IngestTables.Commit damir = tables.latestVersion(Lake.DAMIR);
    ChunkStats stats = readStats(outDir, chunks.size(), conf);
    String[] rejectFiles = list(ChunkParser.rejectsGlob(outDir), conf);
    Dataset<Row> rejects =
        rejectFiles.length > 0 ? spark.read().schema(REJECT_FILE).json(rejectFiles) : spark.createDataFrame(List.of(), REJECT_FILE);
    long rejectsVersion =
        tables.replaceRejects(
            source.month(),
            rejects.select(
                lit(source.month()).as(DamirLineParser.FLX_ANN_MOI),
                lit(source.name()).as("source_file"),
                col("line_number"),
                col("raw_line"),
                col("reason"),
                lit(ingestId).as("ingest_id")));
    checkCounts(source, indexed, stats, damir);
    FileResult result =
        new FileResult(
            ingestId,
            source.name(),
            source.path(),
            source.month(),
            indexed.layout().variant().name(),
            indexed.sizeBytes(),
            indexed.sha256(),
            indexed.rowsRead(),
            stats.rowsAccepted,
            stats.rowsRejected,
            stats.unknownCareMonths,
            stats.unknownCodeRows,
            stats.unknownCodeValues,
            damir.version(),
            rejectsVersion,
            start,
            Instant.now());
    tables.appendLog(logRow(result));
    options.progress().update(source.name(), "parsing", indexed.dataBytes(), indexed.dataBytes(), indexed.rowsRead(), indexed.rowsRead(), true);
    delete(dir, conf);
    return result;
  }

  /**
   * Amounts and coefficients have too many distinct values for Parquet dictionaries to pay: the writer
   * spends its time building dictionaries it then abandons. Plain encoding is faster and as small.
   */
  private static void disableDictionaryOnAmounts(SparkSession spark, TableSchema schema) {
    for (FieldSpec field : schema.fields()) {
      if (field.sparkType() instanceof DecimalType && (field.role().equals("amount") || field.role().equals("coefficient"))) {
        spark.conf().set("parquet.enable.dictionary#" + field.name(), "false");
      }
    }
  }

  /** Rows read = accepted + rejected, and Delta wrote exactly the accepted rows: anything else is a bug. */
  private static void checkCounts(DamirSource source, Indexer.Indexed indexed, ChunkStats stats, IngestTables.Commit damir) {
    if (stats.rowsRead != indexed.rowsRead() || stats.rowsRead != stats.rowsAccepted + stats.rowsRejected) {
      throw new WorkbenchException(
          "Cannot account for every line of '"
              + source.name()
              + "': indexed "
              + indexed.rowsRead()
              + " lines, parsed "
              + stats.rowsRead
              + " = "
              + stats.rowsAccepted
              + " accepted + "
              + stats.rowsRejected
              + " rejected. Please report this bug.");
    }
    if (damir.rowsWritten() >= 0 && damir.rowsWritten() != stats.rowsAccepted) {
      throw new WorkbenchException(
          "Expected Delta to write " + stats.rowsAccepted + " rows of '" + source.name() + "' but its commit " + damir.version() + " reports " + damir.rowsWritten() + ". Please report this bug.");
    }
  }

  private static Row logRow(FileResult r) {
    return RowFactory.create(
        r.ingestId(),
        r.file(),
        r.path(),
        r.sizeBytes(),
        r.sha256(),
        r.month(),
        r.variant(),
        r.rowsRead(),
        r.rowsAccepted(),
        r.rowsRejected(),
        r.unknownCareMonths(),
        r.unknownCodeRows(),
        r.unknownCodeValues(),
        r.damirVersion(),
        r.rejectsVersion(),
        Timestamp.from(r.startedAt()),
        Timestamp.from(r.endedAt()),
        BuildInfo.version());
  }

  private static ChunkStats readStats(String outDir, int chunks, Configuration conf) {
    ObjectMapper json = new ObjectMapper();
    ChunkStats total = new ChunkStats();
    for (int i = 0; i < chunks; i++) {
      Path path = new Path(ChunkParser.statsFile(outDir, i));
      try (InputStream in = path.getFileSystem(conf).open(path)) {
        total.add(json.readValue(in, ChunkStats.class));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the counts of chunk " + i + " at " + path, e);
      }
    }
    return total;
  }

  /** The files matching {@code glob}, as paths (an explicit list spares Spark a metadata probe per glob). */
  private static String[] list(String glob, Configuration conf) {
    Path path = new Path(glob);
    try {
      FileStatus[] found = path.getFileSystem(conf).globStatus(path);
      if (found == null) {
        return new String[0];
      }
      String[] out = new String[found.length];
      for (int i = 0; i < found.length; i++) {
        out[i] = found[i].getPath().toString();
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + glob, e);
    }
  }

  /** The Hadoop settings of the driver, shipped to tasks so they reach the same file systems. */
  private static Map<String, String> hadoopSettings(Configuration conf) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> e : conf) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static void removeStaleStaging(Lake lake, Configuration conf) {
    Path staging = new Path(lake.stagingPath());
    try {
      FileSystem fs = staging.getFileSystem(conf);
      if (!fs.exists(staging)) {
        return;
      }
      long now = System.currentTimeMillis();
      for (FileStatus run : fs.listStatus(staging)) {
        if (now - run.getModificationTime() > STALE_STAGING_MILLIS) {
          fs.delete(run.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean the staging folder " + staging, e);
    }
  }

  private static void delete(Path path, Configuration conf) {
    try {
      path.getFileSystem(conf).delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete staging folder " + path, e);
    }
  }

  private static String newIngestId() {
    String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    return time + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The message of the file that failed in a task (it names the file), else the root cause's. */
  private static String taskMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof WorkbenchException) {
        return t.getMessage();
      }
      String text = String.valueOf(t.getMessage());
      int at = text.indexOf("Cannot read Open DAMIR file");
      if (at >= 0) {
        int end = text.indexOf('\n', at);
        return text.substring(at, end < 0 ? text.length() : end);
      }
    }
    return "Cannot read the Open DAMIR files: " + rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
