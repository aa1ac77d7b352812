package fr.sante.workbench.ingest.damir;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.spark.NewDataFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The Spark task body: parses each chunk of its partition and writes the accepted rows straight to one
 * Parquet data file of the {@code damir} table (not yet committed: the driver commits every chunk's file
 * in one Delta transaction). Rejected lines go to a file named after the chunk in the run's staging
 * folder (a retried task rewrites it), which the driver reads after the commit; the chunk's counts come
 * back with its result.
 */
final class ChunkParser implements FlatMapFunction<Iterator<Chunk>, ChunkResult> {
  private static final long serialVersionUID = 1L;
  /** Lines longer than this are rejected (and cut in {@code damir_rejects}): no real line comes close. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private static final int BUFFER = 1 << 20;

  private final FileLayout layout;
  private final int month;
  private final String fileName;
  private final String outputDir;
  private final String tablePath;
  private final DataFileFormat format;
  private final Map<String, String> hadoopConf;

  ChunkParser(FileLayout layout, int month, String fileName, String outputDir, String tablePath, DataFileFormat format, Map<String, String> hadoopConf) {
    this.layout = layout;
    this.month = month;
    this.fileName = fileName;
    this.outputDir = outputDir;
    this.tablePath = tablePath;
    this.format = format;
    this.hadoopConf = hadoopConf;
  }

  static String rejectsGlob(String outputDir) {
    return outputDir + "/rejects-*.jsonl";
  }

  @Override
  public Iterator<ChunkResult> call(Iterator<Chunk> chunks) throws IOException {
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    List<ChunkResult> results = new ArrayList<>();
    while (chunks.hasNext()) {
      results.add(new ChunkRows(chunks.next(), conf).parseAndWrite());
    }
    return results.iterator();
  }

  /** Parses one chunk into its data file. */
  private final class ChunkRows {
    private final Chunk chunk;
    private final Configuration conf;
    private final ChunkStats stats = new ChunkStats();
    private final DamirLineParser parser;
    private final FileSystem fs;
    private final InputStream in;
    private final ObjectMapper json = new ObjectMapper();
    private byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private long remaining;
    private long lineNumber;
    private JsonGenerator rejects;
    private final RowBatch batch = new RowBatch(Schemas.openDamir().tableType().size(), DataFileWriter.BATCH_ROWS);
    private DataFileWriter writer;
    private String relativePath;

    ChunkRows(Chunk chunk, Configuration conf) {
      this.chunk = chunk;
      this.conf = conf;
      this.parser = new DamirLineParser(Schemas.openDamir(), layout, month, fileName, stats);
      this.remaining = chunk.length();
      this.lineNumber = chunk.firstLine();
      try {
        Path path = new Path(chunk.path());
        this.fs = FileSystem.newInstance(path.toUri(), conf);
        fs.setVerifyChecksum(false);
        FSDataInputStream stream = fs.open(path, BUFFER);
        stream.seek(chunk.offset());
        this.in = stream;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot open chunk " + chunk.index() + " of '" + fileName + "' at " + chunk.path(), e);
      }
    }

    /** Parses every line of the chunk, writing accepted rows to the data file and rejected lines aside. */
    ChunkResult parseAndWrite() throws IOException {
      boolean done = false;
      try {
        while (true) {
          int newline = findNewline();
          if (newline < 0) {
            if (limit == position) {
              break;
            }
            newline = limit; // last line of the file without a final \n
          }
          int start = position;
          int end = newline;
          position = Math.min(newline + 1, limit);
          stats.rowsRead++;
          long line = lineNumber++;
          if (end - start > MAX_LINE_BYTES) {
            reject(line, start, start + 1024, "Expected at most " + MAX_LINE_BYTES + " bytes per line but found " + (end - start));
            continue;
          }
          if (parser.parseInto(buffer, start, end, batch, batch.size())) {
            batch.add();
            stats.rowsAccepted++;
            if (batch.full()) {
              writer().write(batch);
            }
          } else {
            reject(line, start, end, parser.reason());
          }
        }
        ChunkResult result = finish();
        done = true;
        return result;
      } finally {
        if (!done) {
          abandon();
        }
      }
    }

    /** The chunk's data file, created with its first accepted row (a chunk of rejects writes none). */
    private DataFileWriter writer() throws IOException {
      if (writer == null) {
        relativePath = String.format("%s=%d/part-%05d-%s.c000.snappy.parquet", DamirLineParser.FLX_ANN_MOI, month, chunk.index(), UUID.randomUUID());
        writer = new DataFileWriter(format, new Path(tablePath, relativePath), conf);
      }
      return writer;
    }

    /** Index of the next {@code \n} in the buffer, refilling it as needed; -1 at the end of the chunk. */
    private int findNewline() throws IOException {
      int scanFrom = position;
      while (true) {
        for (int i = scanFrom; i < limit; i++) {
          if (buffer[i] == '\n') {
            return i;
          }
        }
        if (remaining == 0) {
          return -1;
        }
        // compact, grow if one line fills the buffer, refill
        int pending = limit - position;
        if (position > 0) {
          System.arraycopy(buffer, position, buffer, 0, pending);
        } else if (pending == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        position = 0;
        limit = pending;
        scanFrom = pending;
        int want = (int) Math.min(buffer.length - limit, remaining);
        int n = in.read(buffer, limit, want);
        if (n < 0) {
          throw new IOException("Unexpected end of file: " + remaining + " bytes of the chunk are missing");
        }
        limit += n;
        remaining -= n;
      }
    }

    private void reject(long line, int start, int end, String reason) throws IOException {
      stats.rowsRejected++;
      if (rejects == null) {
        Path path = new Path(outputDir + "/rejects-" + chunk.index() + ".jsonl");
        OutputStream out = new BufferedOutputStream(fs.create(path, true), 1 << 16);
        rejects = json.getFactory().createGenerator(out);
        rejects.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
      }
      rejects.writeStartObject();
      rejects.writeNumberField("line_number", line);
      rejects.writeStringField("raw_line", DamirLineParser.text(buffer, start, end));
      rejects.writeStringField("reason", reason);
      rejects.writeEndObject();
    }

    private ChunkResult finish() throws IOException {
      in.close();
      if (rejects != null) {
        rejects.close();
      }
      if (stats.rowsRead != chunk.rows()) {
        throw new IllegalStateException(
            "Chunk " + chunk.index() + " of '" + fileName + "' has " + stats.rowsRead + " lines but indexing counted " + chunk.rows());
      }
      if (batch.size() > 0) {
        writer().write(batch);
      }
      NewDataFile file = writer == null ? null : writer.finish(relativePath);
      fs.close();
      return new ChunkResult(chunk.index(), file, stats);
    }

    /** After a failure: the chunk's data file is deleted (it would never be committed anyway). */
    private void abandon() {
      try {
        in.close();
        if (writer != null) {
          writer.close();
        }
        fs.close();
      } catch (IOException | RuntimeException e) {
        // the original failure matters more; an uncommitted file is invisible to readers
      }
    }
  }
}
