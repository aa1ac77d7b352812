package fr.sante.workbench.ingest.damir;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.spark.DeltaCommits;
import fr.sante.workbench.spark.NewDataFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A month is three commits (its rows in {@code damir}, its rejects, its {@code ingest_log} row) and Delta cannot
 * commit across tables, so before the first of them the ingest writes a marker in the month's staging folder: the
 * month's counts and the data files the commit adds. The marker goes when the log row is written. A run killed
 * between the commits leaves it behind, and the next ingest, {@code tables} or {@code sql} on the lake completes the
 * month (rows committed: its rejects and log row are written from the staging folder) or drops the leftovers (rows not
 * committed: the table never held them), so that read = accepted + rejected holds again for every month.
 */
public final class PendingMonths {
  static final String MARKER = "_pending.json";
  /** Test hook: a run with this system property set to {@code damir} or {@code rejects} halts (as if killed) right after that commit. */
  static final String HALT_AFTER = "workbench.testing.halt-after";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PendingMonths() {}

  /** Writes the marker of a month about to be committed: the result without its versions, and the data files. */
  static void mark(Path monthDir, FileResult result, List<NewDataFile> files, Configuration conf) {
    Map<String, Object> marker = new LinkedHashMap<>();
    marker.put("ingest_id", result.ingestId());
    marker.put("file", result.file());
    marker.put("path", result.path());
    marker.put("month", result.month());
    marker.put("variant", result.variant());
    marker.put("size_bytes", result.sizeBytes());
    marker.put("sha256", result.sha256());
    marker.put("rows_read", result.rowsRead());
    marker.put("rows_accepted", result.rowsAccepted());
    marker.put("rows_rejected", result.rowsRejected());
    marker.put("unknown_care_months", result.unknownCareMonths());
    marker.put("unknown_code_rows", result.unknownCodeRows());
    marker.put("unknown_code_values", result.unknownCodeValues());
    marker.put("started_at", result.startedAt().toString());
    marker.put("data_files", files.stream().map(NewDataFile::path).toList());
    Path path = new Path(monthDir, MARKER);
    try (var out = path.getFileSystem(conf).create(path, true)) {
      out.write(JSON.writeValueAsBytes(marker));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the marker of month " + result.month() + " at " + path, e);
    }
  }

  /** Removes the marker once the month's three commits are done. */
  static void done(Path monthDir, Configuration conf) {
    Path path = new Path(monthDir, MARKER);
    try {
      path.getFileSystem(conf).delete(path, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove the marker " + path, e);
    }
  }

  /** For tests of the windows between commits: halts the process, as a kill would, when asked to after {@code stage}. */
  static void haltIfAsked(String stage) {
    if (stage.equals(System.getProperty(HALT_AFTER))) {
      System.err.println("Halting after the " + stage + " commit (" + HALT_AFTER + ")");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }

  /**
   * Completes or drops every month a dead run left between its commits, telling {@code say} what was done; returns
   * how many months were found. A month another process is recovering (its marker already claimed) is left to it.
   */
  public static int recover(SparkSession spark, Lake lake, Consumer<String> say) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path staging = new Path(lake.stagingPath());
    int found = 0;
    try {
      FileSystem fs = staging.getFileSystem(conf);
      if (!fs.exists(staging)) {
        return 0;
      }
      for (FileStatus run : fs.listStatus(staging)) {
        if (!run.isDirectory() || !IngestDamirJob.isAbandoned(fs, run)) {
          continue;
        }
        for (FileStatus month : fs.listStatus(run.getPath())) {
          Path marker = new Path(month.getPath(), MARKER);
          if (!month.isDirectory() || !fs.exists(marker)) {
            continue;
          }
          Path claimed = new Path(month.getPath(), MARKER + "." + ProcessHandle.current().pid());
          if (!fs.rename(marker, claimed)) {
            continue; // another process claimed it
          }
          found++;
          JsonNode pending;
          try (var in = fs.open(claimed)) {
            pending = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
          say.accept(complete(spark, lake, conf, month.getPath(), pending));
          fs.delete(month.getPath(), true);
        }
        fs.delete(run.getPath(), true);
      }
      IngestDamirJob.deleteIfEmpty(staging, conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot recover the months left in " + staging, e);
    }
    return found;
  }

  private static String complete(SparkSession spark, Lake lake, Configuration conf, Path monthDir, JsonNode pending) {
    int month = pending.get("month").asInt();
    String ingestId = pending.get("ingest_id").asText();
    String file = pending.get("file").asText();
    String damirPath = lake.tablePath(Lake.DAMIR);
    Set<String> wanted = new java.util.HashSet<>();
    pending.get("data_files").forEach(f -> wanted.add(f.asText()));
    String prefix = new Path(damirPath).toUri().getPath() + "/";
    Set<String> inTable =
        java.util.Arrays.stream(spark.read().format("delta").load(damirPath).where(col(DamirLineParser.FLX_ANN_MOI).equalTo(month)).inputFiles())
            .map(f -> new Path(f).toUri().getPath())
            .filter(f -> f.startsWith(prefix))
            .map(f -> new Path(f.substring(prefix.length())).toString())
            .collect(Collectors.toSet());
    boolean committed = !wanted.isEmpty() ? inTable.containsAll(wanted) : inTable.isEmpty();
    if (!committed) {
      return "Recovered: ingest " + ingestId + " of " + file + " stopped before it committed month " + month
          + "; the table never held its rows and its leftovers were removed (run that ingest again).";
    }
    IngestTables tables = new IngestTables(spark, lake);
    long rejected = pending.get("rows_rejected").asLong();
    String rejectsPath = lake.tablePath(Lake.DAMIR_REJECTS);
    long rejectsVersion;
    // the month's rejects, and how many of them this run wrote, in one pass
    org.apache.spark.sql.Row counts =
        spark.read().format("delta").load(rejectsPath).where(col(DamirLineParser.FLX_ANN_MOI).equalTo(month))
            .agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
                org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.when(col("ingest_id").equalTo(ingestId), 1)))
            .first();
    long held = counts.getLong(0);
    long heldByRun = counts.getLong(1);
    List<String> done = new ArrayList<>();
    if (held == rejected && heldByRun == rejected) {
      rejectsVersion = DeltaCommits.version(spark, rejectsPath);
    } else {
      String outDir = new Path(monthDir, "out").toString();
      rejectsVersion = tables.replaceRejects(month, IngestDamirJob.rejects(spark, outDir, month, file, ingestId, conf));
      done.add("its " + rejected + " rejected lines");
    }
    long logged =
        spark.read().format("delta").load(lake.tablePath(Lake.INGEST_LOG)).where(col("ingest_id").equalTo(ingestId).and(col(DamirLineParser.FLX_ANN_MOI).equalTo(month))).count();
    if (logged == 0) {
      tables.appendLog(IngestDamirJob.logRow(result(pending, DeltaCommits.version(spark, damirPath), rejectsVersion)));
      done.add("its ingest_log row");
    }
    return "Recovered: ingest " + ingestId + " of " + file + " stopped after committing month " + month + " ("
        + pending.get("rows_accepted").asLong() + " rows); " + (done.isEmpty() ? "nothing was missing" : "wrote " + String.join(" and ", done)) + ".";
  }

  private static FileResult result(JsonNode p, long damirVersion, long rejectsVersion) {
    Map<String, Long> codeRows = new LinkedHashMap<>();
    p.get("unknown_code_rows").fields().forEachRemaining(e -> codeRows.put(e.getKey(), e.getValue().asLong()));
    Map<String, Map<String, Long>> codeValues = new LinkedHashMap<>();
    p.get("unknown_code_values").fields().forEachRemaining(e -> {
      Map<String, Long> values = new LinkedHashMap<>();
      e.getValue().fields().forEachRemaining(v -> values.put(v.getKey(), v.getValue().asLong()));
      codeValues.put(e.getKey(), values);
    });
    return new FileResult(
        p.get("ingest_id").asText(), p.get("file").asText(), p.get("path").asText(), p.get("month").asInt(), p.get("variant").asText(),
        p.get("size_bytes").asLong(), p.get("sha256").asText(), p.get("rows_read").asLong(), p.get("rows_accepted").asLong(),
        p.get("rows_rejected").asLong(), p.get("unknown_care_months").asLong(), codeRows, codeValues, damirVersion, rejectsVersion,
        Instant.parse(p.get("started_at").asText()), Instant.now());
  }
}
