package fr.sante.workbench.ingest.damir;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import fr.sante.workbench.BuildInfo;
import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import fr.sante.workbench.spark.DeltaCommits;
import fr.sante.workbench.spark.NewDataFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
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
    return run(CompletableFuture.completedFuture(spark), spark.sparkContext().defaultParallelism(), options);
  }

  /**
   * Ingests every file of {@code options} while {@code starter} builds the Spark session: the files are
   * resolved, their headers checked and a single file read (hashed, counted, chunked, inflated) on this
   * thread meanwhile, which on a small machine hides most of Spark's start-up. {@code parallelism} is the
   * session's default parallelism (the cores of an embedded {@code local[*]} session), needed before it exists
   * to cut the file into enough chunks.
   */
  public static IngestDamirResult runWhileStarting(Supplier<SparkSession> starter, int parallelism, IngestDamirOptions options) {
    return run(CompletableFuture.supplyAsync(starter), parallelism, options);
  }

  private static IngestDamirResult run(CompletableFuture<SparkSession> session, int parallelism, IngestDamirOptions options) {
    try {
      return runAsSessionStarts(session, parallelism, options);
    } catch (RuntimeException | Error e) {
      // a failure before Spark has finished starting (an unreadable file, an unreachable store): let the start end
      // first, or the process exits in its middle and Spark prints traces of its own after the one-line error
      try {
        session.join();
      } catch (RuntimeException startFailed) {
        e.addSuppressed(startFailed);
      }
      throw e;
    }
  }

  private static IngestDamirResult runAsSessionStarts(CompletableFuture<SparkSession> session, int parallelism, IngestDamirOptions options) {
    Instant started = Instant.now();
    TableSchema schema = Schemas.openDamir();
    // before the session exists, the Hadoop settings are those it will have (spark.hadoop.* of the Spark conf)
    Configuration early = session.isDone() ? join(session).sparkContext().hadoopConfiguration() : SparkHadoopUtil.get().newConfiguration(new SparkConf(true));
    List<DamirSource> sources = DamirSources.resolve(options.paths(), early);
    for (DamirSource source : sources) {
      Indexer.checkHeader(schema, source, early);
    }
    String ingestId = newIngestId();
    Path runDir = new Path(options.lake().stagingPath(), ingestId);
    removeStaleStaging(options.lake(), early);
    markOwner(runDir, early);
    // as soon as the session is up (while this thread may still read): the damir table, which must exist
    // before tasks write its files; then, while the chunks are parsed, the other tables and the code lists
    CompletableFuture<IngestTables> damirTable =
        session.thenApplyAsync(
            spark ->
                options.progress().during("opening table damir of the lake " + options.lake().root(), () -> {
                  IngestTables tables = new IngestTables(spark, options.lake());
                  tables.ensureTable(Lake.DAMIR, schema);
                  return tables;
                }));
    CompletableFuture<Set<Integer>> setUp =
        damirTable.thenApplyAsync(
            tables -> {
              boolean noRejectsYet = tables.ensureTable(Lake.DAMIR_REJECTS, Schemas.damirRejects());
              tables.writeCodeListsIfChanged();
              tables.ensureTable(Lake.INGEST_LOG, Schemas.ingestLog()); // created now, not by the append that ends the file
              // a month a killed run left between its commits is completed first (its rejects decide hadRejects below)
              PendingMonths.recover(tables.spark(), options.lake(), options.progress()::step);
              return noRejectsYet ? Set.<Integer>of() : tables.monthsWithRejects(sources.stream().map(DamirSource::month).toList());
            });
    Map<Integer, Indexer.Indexed> indexed = new HashMap<>();
    try {
      if (sources.size() == 1) { // one file: on the driver, with byte-level progress
        DamirSource only = sources.get(0);
        indexed.put(only.month(), Indexer.index(schema, only, monthDir(runDir, only).toString(), options.chunkBytes(), parallelism, early, options.progress()));
      }
      SparkSession spark = join(session);
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      IngestTables tables = join(damirTable);
      DataFileFormat format = DataFileFormat.of(schema, DamirLineParser.FLX_ANN_MOI, statsColumns(schema));
      RunContext run = new RunContext(spark, options, tables, schema, format, ingestId, conf, setUp);
      if (sources.size() > 1) {
        // several files: read them in one Spark job, one task per file, so a cluster reads a year of months at once
        indexed.putAll(indexOnExecutors(run, sources, runDir));
      }
      List<FileResult> results = new ArrayList<>();
      for (DamirSource source : sources) {
        FileResult result = ingestFile(run, source, monthDir(runDir, source), indexed.get(source.month()), started);
        results.add(result);
        started = result.endedAt();
      }
      return new IngestDamirResult(options.lake().root(), results);
    } finally {
      delete(runDir, early);
      deleteIfEmpty(new Path(options.lake().stagingPath()), early);
    }
  }

  private static Path monthDir(Path runDir, DamirSource source) {
    return new Path(runDir, String.valueOf(source.month()));
  }

  /** The value of {@code future}, or the failure that prevented it: as is when unchecked, else (Spark's checked AnalysisException) with its message. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new WorkbenchException("Cannot prepare the lake's tables: " + rootMessage(cause), cause);
    }
  }

  /** The columns with Delta min/max statistics: the schema's {@code delta.dataSkippingStatsColumns}. */
  private static List<String> statsColumns(TableSchema schema) {
    String columns = schema.tableProperties().getOrDefault("delta.dataSkippingStatsColumns", "");
    return columns.isBlank() ? List.of() : List.of(columns.split("\\s*,\\s*"));
  }

  /** What every file of one run shares. */
  private record RunContext(
      SparkSession spark,
      IngestDamirOptions options,
      IngestTables tables,
      TableSchema schema,
      DataFileFormat format,
      String ingestId,
      Configuration conf,
      CompletableFuture<Set<Integer>> setUp) {

    /** Waits for the table set-up, rethrowing its failure; returns the months of the run that had rejects before it. */
    Set<Integer> awaitSetUp() {
      return join(setUp);
    }
  }

  /** Indexes every file in one Spark job with one task per file; month → index. */
  private static Map<Integer, Indexer.Indexed> indexOnExecutors(RunContext run, List<DamirSource> sources, Path runDir) {
    SparkSession spark = run.spark();
    Map<String, String> settings = hadoopSettings(run.conf());
    long chunkBytes = run.options().chunkBytes();
    int parallelism = spark.sparkContext().defaultParallelism();
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
                return Indexer.index(Schemas.openDamir(), source, new Path(staging, String.valueOf(source.month())).toString(), chunkBytes, parallelism, conf, Progress.SILENT);
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

  /** Parses, writes and commits one indexed file; {@code start} is when its reading began (for the log). */
  private static FileResult ingestFile(RunContext run, DamirSource source, Path dir, Indexer.Indexed indexed, Instant start) {
    SparkSession spark = run.spark();
    IngestDamirOptions options = run.options();
    IngestTables tables = run.tables();
    Configuration conf = run.conf();
    String ingestId = run.ingestId();
    TableSchema schema = run.schema();
    String outDir = new Path(dir, "out").toString();
    List<Chunk> chunks = indexed.chunks();
    String tablePath = options.lake().tablePath(Lake.DAMIR);
    ChunkParser parser = new ChunkParser(indexed.layout(), source.month(), source.name(), outDir, tablePath, run.format(), hadoopSettings(conf));
    String group = "INGEST-DAMIR-" + source.month();
    spark.sparkContext().setJobGroup(group, "Ingest Open DAMIR " + source.name(), false);
    StageProgress stageProgress =
        new StageProgress(spark, group, chunks.size(), source.name(), indexed.dataBytes(), indexed.rowsRead(), options.progress());
    List<ChunkResult> written;
    try {
      written = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(chunks, Math.max(1, chunks.size())).mapPartitions(parser).collect();
    } catch (Exception e) { // SparkException is checked, though Scala's collect does not declare it
      throw new WorkbenchException(
          "Cannot write month " + source.month() + " of '" + source.name() + "' to table damir: " + rootMessage(e) + " (the table keeps its previous version)",
          e);
    } finally {
      stageProgress.close();
      spark.sparkContext().clearJobGroup();
    }
    ChunkStats stats = new ChunkStats();
    List<NewDataFile> files = new ArrayList<>();
    for (ChunkResult chunk : written) {
      stats.add(chunk.stats());
      if (chunk.file() != null) {
        files.add(chunk.file());
      }
    }
    checkCounts(source, indexed, stats, files, tablePath, conf);
    options.progress().update(source.name(), "parsing", indexed.dataBytes(), indexed.dataBytes(), indexed.rowsRead(), indexed.rowsRead(), true);
    String committing = source.name() + " committing month " + source.month() + " to damir, damir_rejects and ingest_log";
    boolean hadRejects = run.awaitSetUp().contains(source.month());
    options.progress().step(committing); // after the set-up, whose own steps (a killed run's month completed) come first
    long commitStart = System.nanoTime();
    // the month's three commits (rows, rejects, log row) cannot be one: a marker lets the next run complete them
    PendingMonths.mark(dir, pending(ingestId, source, indexed, stats, start), files, conf);
    long damirVersion;
    try {
      damirVersion = DeltaCommits.replacePartition(spark, tablePath, schema.tableType(), DamirLineParser.FLX_ANN_MOI, String.valueOf(source.month()), files);
    } catch (RuntimeException e) {
      PendingMonths.done(dir, conf); // nothing committed: nothing to complete
      if (fr.sante.workbench.ConcurrentChangeException.find(e) != null) {
        throw new fr.sante.workbench.ConcurrentChangeException(
            "month " + source.month() + " was being written by another ingest at the same time, which committed it first; this run's copy of '" + source.name()
                + "' was not committed (the month holds the other run's rows, once). Run this ingest again when the other has ended to replace the month with"
                + " this file.", e);
      }
      throw new WorkbenchException(
          "Cannot commit month " + source.month() + " of '" + source.name() + "' to table damir: " + rootMessage(e) + " (the table keeps its previous version)", e);
    }
    PendingMonths.haltIfAsked("damir");
    long rejectsVersion = writeRejects(run, source, outDir, hadRejects);
    PendingMonths.haltIfAsked("rejects");
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
            damirVersion,
            rejectsVersion,
            start,
            Instant.now());
    tables.appendLog(logRow(result));
    PendingMonths.done(dir, conf);
    options.progress().step(String.format(java.util.Locale.ROOT, "[%5.1f s] done: %s", (System.nanoTime() - commitStart) / 1e9, committing));
    delete(dir, conf);
    return result;
  }

  /**
   * Rows read = accepted + rejected, and the data files' footers hold exactly the accepted rows: anything
   * else is a bug, found before the commit so the table keeps its previous version.
   */
  private static void checkCounts(DamirSource source, Indexer.Indexed indexed, ChunkStats stats, List<NewDataFile> files, String tablePath, Configuration conf) {
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
    long inFooters = 0;
    for (NewDataFile file : files) {
      Path path = new Path(tablePath, file.path());
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
        inFooters += reader.getRecordCount();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the footer of the data file just written at " + path, e);
      }
    }
    if (inFooters != stats.rowsAccepted) {
      throw new WorkbenchException(
          "Expected the data files of '" + source.name() + "' to hold " + stats.rowsAccepted + " rows but their footers count " + inFooters + ". Please report this bug.");
    }
  }

  /**
   * Replaces the month's rejects; skipped when there are none now and there were none before, so a clean
   * month costs no commit. Returns the version of {@code damir_rejects} that holds the month's rejects.
   */
  private static long writeRejects(RunContext run, DamirSource source, String outDir, boolean hadRejects) {
    SparkSession spark = run.spark();
    String rejectsPath = run.options().lake().tablePath(Lake.DAMIR_REJECTS);
    String[] rejectFiles = list(ChunkParser.rejectsGlob(outDir), run.conf());
    if (rejectFiles.length == 0 && !hadRejects) {
      return DeltaCommits.version(spark, rejectsPath);
    }
    return run.tables().replaceRejects(source.month(), rejects(spark, rejectFiles, source.month(), source.name(), run.ingestId()));
  }

  /** The rejects the chunks of a month wrote under {@code outDir}, as rows of {@code damir_rejects}. */
  static Dataset<Row> rejects(SparkSession spark, String outDir, int month, String file, String ingestId, Configuration conf) {
    return rejects(spark, list(ChunkParser.rejectsGlob(outDir), conf), month, file, ingestId);
  }

  private static Dataset<Row> rejects(SparkSession spark, String[] rejectFiles, int month, String file, String ingestId) {
    Dataset<Row> rejects =
        rejectFiles.length > 0 ? spark.read().schema(REJECT_FILE).json(rejectFiles) : spark.createDataFrame(List.of(), REJECT_FILE);
    return rejects.select(
        lit(month).as(DamirLineParser.FLX_ANN_MOI),
        lit(file).as("source_file"),
        col("line_number"),
        col("raw_line"),
        col("reason"),
        lit(ingestId).as("ingest_id"));
  }

  /** What the marker of a month records before its commits: the counts, without the versions yet. */
  private static FileResult pending(String ingestId, DamirSource source, Indexer.Indexed indexed, ChunkStats stats, Instant start) {
    return new FileResult(ingestId, source.name(), source.path(), source.month(), indexed.layout().variant().name(), indexed.sizeBytes(), indexed.sha256(),
        indexed.rowsRead(), stats.rowsAccepted, stats.rowsRejected, stats.unknownCareMonths, stats.unknownCodeRows, stats.unknownCodeValues, -1, -1, start,
        Instant.now());
  }

  static Row logRow(FileResult r) {
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

  /** The file in a run's staging folder naming the process that owns it: {@code host pid}. */
  static final String OWNER_FILE = "_owner";

  /** Names this process as the owner of {@code runDir}, so that the next run can tell a killed run's leftovers. */
  private static void markOwner(Path runDir, Configuration conf) {
    try (var out = runDir.getFileSystem(conf).create(new Path(runDir, OWNER_FILE), true)) {
      out.write((hostName() + " " + ProcessHandle.current().pid()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the staging folder " + runDir, e);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /**
   * Removes what earlier runs left in the staging folder: a run whose owner was a process of this machine that is gone
   * (killed, or died), and any run untouched for {@link #STALE_STAGING_MILLIS} (another machine's); runs in progress
   * are left alone.
   */
  static void removeStaleStaging(Lake lake, Configuration conf) {
    Path staging = new Path(lake.stagingPath());
    try {
      FileSystem fs = staging.getFileSystem(conf);
      if (!fs.exists(staging)) {
        return;
      }
      for (FileStatus run : fs.listStatus(staging)) {
        // a run stopped between a month's commits is left to PendingMonths, which needs the session
        if (isAbandoned(fs, run) && !hasPendingMonth(fs, run.getPath())) {
          fs.delete(run.getPath(), true);
        }
      }
      deleteIfEmpty(staging, conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean the staging folder " + staging, e);
    }
  }

  /**
   * Whether a run's staging folder was left by a process that is gone: its owner a process of this machine that no
   * longer runs, or (another machine's) untouched for {@link #STALE_STAGING_MILLIS}.
   */
  static boolean isAbandoned(FileSystem fs, FileStatus run) throws IOException {
    Path owner = new Path(run.getPath(), OWNER_FILE);
    if (run.isDirectory() && fs.exists(owner)) {
      String[] who;
      try (var in = fs.open(owner)) {
        who = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim().split(" ");
      }
      if (who.length == 2 && who[0].equals(hostName()) && who[1].matches("\\d+")
          && ProcessHandle.of(Long.parseLong(who[1])).map(p -> !p.isAlive()).orElse(true)) {
        return true;
      }
    }
    return System.currentTimeMillis() - run.getModificationTime() > STALE_STAGING_MILLIS;
  }

  private static boolean hasPendingMonth(FileSystem fs, Path run) throws IOException {
    FileStatus[] markers = fs.globStatus(new Path(run, "*/" + PendingMonths.MARKER));
    return markers != null && markers.length > 0;
  }

  /** Removes the staging folder when no run holds anything in it (another run may create it again at any time). */
  static void deleteIfEmpty(Path staging, Configuration conf) {
    try {
      FileSystem fs = staging.getFileSystem(conf);
      if (fs.exists(staging) && fs.listStatus(staging).length == 0) {
        fs.delete(staging, false);
      }
    } catch (IOException e) {
      // another run created something in it meanwhile: it stays
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
