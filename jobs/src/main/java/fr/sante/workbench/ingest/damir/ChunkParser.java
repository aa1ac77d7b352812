package fr.sante.workbench.ingest.damir;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.schemas.Schemas;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;

/**
 * The Spark task body: parses the chunks of one partition into {@code damir} rows (internal rows: no
 * conversion from Java objects is needed before Parquet encoding). Rejected lines and the
 * chunk's counts go to files named after the chunk in the run's staging folder (a retried task rewrites
 * the same files), which the driver reads after the commit.
 */
final class ChunkParser implements FlatMapFunction<Iterator<Chunk>, InternalRow> {
  private static final long serialVersionUID = 1L;
  /** Lines longer than this are rejected (and cut in {@code damir_rejects}): no real line comes close. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private static final int BUFFER = 1 << 20;

  private final FileLayout layout;
  private final int month;
  private final String fileName;
  private final String outputDir;
  private final Map<String, String> hadoopConf;

  ChunkParser(FileLayout layout, int month, String fileName, String outputDir, Map<String, String> hadoopConf) {
    this.layout = layout;
    this.month = month;
    this.fileName = fileName;
    this.outputDir = outputDir;
    this.hadoopConf = hadoopConf;
  }

  static String statsFile(String outputDir, int chunk) {
    return outputDir + "/stats-" + chunk + ".json";
  }

  static String rejectsGlob(String outputDir) {
    return outputDir + "/rejects-*.jsonl";
  }

  @Override
  public Iterator<InternalRow> call(Iterator<Chunk> chunks) {
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    return new Iterator<>() {
      private ChunkRows current;

      @Override
      public boolean hasNext() {
        while (current == null || !current.hasNext()) {
          if (!chunks.hasNext()) {
            return false;
          }
          current = new ChunkRows(chunks.next(), conf);
        }
        return true;
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** Lazily parses one chunk; closes its files and writes its stats after the last line. */
  private final class ChunkRows implements Iterator<InternalRow> {
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
    private boolean exhausted;
    private InternalRow next;
    private JsonGenerator rejects;

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

    @Override
    public boolean hasNext() {
      try {
        while (next == null && !exhausted) {
          advance();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read chunk " + chunk.index() + " of '" + fileName + "'", e);
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow row = next;
      next = null;
      return row;
    }

    /** Parses the next line; sets {@code next} when it is accepted, finishes the chunk at its end. */
    private void advance() throws IOException {
      int newline = findNewline();
      if (newline < 0) {
        if (limit == position) {
          finish();
          return;
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
        return;
      }
      Object[] values = parser.parse(buffer, start, end);
      if (values == null) {
        reject(line, start, end, parser.reason());
      } else {
        stats.rowsAccepted++;
        next = new GenericInternalRow(values);
      }
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

    private void finish() throws IOException {
      exhausted = true;
      in.close();
      if (rejects != null) {
        rejects.close();
      }
      if (stats.rowsRead != chunk.rows()) {
        throw new IllegalStateException(
            "Chunk " + chunk.index() + " of '" + fileName + "' has " + stats.rowsRead + " lines but indexing counted " + chunk.rows());
      }
      try (OutputStream out = fs.create(new Path(statsFile(outputDir, chunk.index())), true)) {
        json.writeValue(out, stats);
      }
      fs.close();
    }
  }
}
