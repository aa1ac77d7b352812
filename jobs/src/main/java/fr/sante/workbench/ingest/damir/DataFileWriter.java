package fr.sante.workbench.ingest.damir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import fr.sante.workbench.spark.NewDataFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes the parser's rows to one Parquet data file of a Delta table, as Spark would (Spark's schema
 * conversion, snappy, dictionaries, Spark's schema in the footer), without Spark's row pipeline: rows come
 * in unboxed {@link RowBatch}es, handed to the column writers one column at a time, which keeps each
 * column's encoder hot. Also computes the file's Delta statistics (row count; min, max and null count
 * of the statistics columns). Not thread-safe; one instance per file.
 */
final class DataFileWriter implements AutoCloseable {
  /** Rows per batch handed to the column writers. */
  static final int BATCH_ROWS = 4096;
  /** Rows are flushed as a row group when the buffered pages reach this size (Spark's default block size). */
  static final long ROW_GROUP_BYTES = 128L << 20;

  private static final String SPARK_VERSION_KEY = "org.apache.spark.version";
  private static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private final DataFileFormat format;
  private final Path path;
  private final Configuration conf;
  private final MessageType schema;
  private final ParquetProperties properties;
  private final PageCompressor compressor = new PageCompressor();
  private final ParquetFileWriter file;
  private final int width;
  private final int[] maxDefinition;
  private final UTF8String[] minTexts;
  private final UTF8String[] maxTexts;
  private final long[] minNumbers;
  private final long[] maxNumbers;
  private final long[] nullCounts;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore store;
  private ColumnWriter[] writers;
  private long groupRows;
  private long rows;
  private boolean finished;

  DataFileWriter(DataFileFormat format, Path path, Configuration conf) throws IOException {
    this.format = format;
    this.path = path;
    this.conf = conf;
    this.schema = format.messageType();
    this.properties = ParquetProperties.builder().withPageWriteChecksumEnabled(false).build();
    this.file = new ParquetFileWriter(HadoopOutputFile.fromPath(path, conf), schema, ParquetFileWriter.Mode.CREATE, ROW_GROUP_BYTES, 0);
    this.width = format.names().length;
    this.maxDefinition = new int[width];
    List<ColumnDescriptor> columns = schema.getColumns();
    for (int c = 0; c < width; c++) {
      maxDefinition[c] = columns.get(c).getMaxDefinitionLevel();
    }
    int stats = format.statsColumns().length;
    this.minTexts = new UTF8String[stats];
    this.maxTexts = new UTF8String[stats];
    this.minNumbers = new long[stats];
    this.maxNumbers = new long[stats];
    java.util.Arrays.fill(minNumbers, Long.MAX_VALUE);
    java.util.Arrays.fill(maxNumbers, Long.MIN_VALUE);
    this.nullCounts = new long[stats];
    file.start();
    startRowGroup();
  }

  private void startRowGroup() {
    pages = new ColumnChunkPageWriteStore(compressor, schema, HeapByteBufferAllocator.getInstance(), properties.getColumnIndexTruncateLength(), false);
    store = properties.newColumnWriteStore(schema, pages);
    writers = new ColumnWriter[width];
    List<ColumnDescriptor> columns = schema.getColumns();
    for (int c = 0; c < width; c++) {
      writers[c] = store.getColumnWriter(columns.get(c));
    }
    groupRows = 0;
  }

  /** Writes the rows of {@code batch} (columns indexed as the table's), then clears it. */
  void write(RowBatch batch) throws IOException {
    int n = batch.size();
    for (int c = 0; c < width; c++) {
      writeColumn(batch, c, n);
    }
    updateStats(batch, n);
    for (int i = 0; i < n; i++) {
      store.endRecord();
    }
    batch.clear();
    rows += n;
    groupRows += n;
    if (store.getBufferedSize() >= ROW_GROUP_BYTES) {
      flushRowGroup();
      startRowGroup();
    }
  }

  long rows() {
    return rows;
  }

  private void writeColumn(RowBatch batch, int c, int n) {
    ColumnWriter writer = writers[c];
    int at = format.rowIndex()[c];
    int defined = maxDefinition[c];
    int undefined = defined - 1;
    boolean[] nulls = batch.nulls(at);
    switch (format.kinds()[c]) {
      case INT, DATE, DECIMAL_INT -> {
        long[] values = batch.numbers(at);
        for (int i = 0; i < n; i++) {
          if (nulls[i]) {
            writer.writeNull(0, undefined);
          } else {
            writer.write((int) values[i], 0, defined);
          }
        }
      }
      case LONG, DECIMAL_LONG -> {
        long[] values = batch.numbers(at);
        for (int i = 0; i < n; i++) {
          if (nulls[i]) {
            writer.writeNull(0, undefined);
          } else {
            writer.write(values[i], 0, defined);
          }
        }
      }
      case STRING -> {
        UTF8String[] values = batch.texts(at);
        for (int i = 0; i < n; i++) {
          if (nulls[i]) {
            writer.writeNull(0, undefined);
          } else {
            writer.write(Binary.fromConstantByteArray(values[i].getBytes()), 0, defined);
          }
        }
      }
    }
  }

  /** Min, max and null count of the statistics columns: dates compared as days, text in Spark's (byte) order. */
  private void updateStats(RowBatch batch, int n) {
    int[] columns = format.statsColumns();
    for (int s = 0; s < columns.length; s++) {
      int at = format.rowIndex()[columns[s]];
      boolean[] nulls = batch.nulls(at);
      if (format.kinds()[columns[s]] == DataFileFormat.Kind.STRING) {
        UTF8String[] values = batch.texts(at);
        for (int i = 0; i < n; i++) {
          if (nulls[i]) {
            nullCounts[s]++;
          } else {
            if (minTexts[s] == null || minTexts[s].binaryCompare(values[i]) > 0) {
              minTexts[s] = values[i];
            }
            if (maxTexts[s] == null || maxTexts[s].binaryCompare(values[i]) < 0) {
              maxTexts[s] = values[i];
            }
          }
        }
      } else {
        long[] values = batch.numbers(at);
        for (int i = 0; i < n; i++) {
          if (nulls[i]) {
            nullCounts[s]++;
          } else {
            minNumbers[s] = Math.min(minNumbers[s], values[i]);
            maxNumbers[s] = Math.max(maxNumbers[s], values[i]);
          }
        }
      }
    }
  }

  private void flushRowGroup() throws IOException {
    store.flush();
    file.startBlock(groupRows);
    pages.flushToFileWriter(file);
    file.endBlock();
    store.close();
    pages.close();
  }

  /** Writes the last rows and the footer; returns what Delta needs to know of the file. */
  NewDataFile finish(String relativePath) throws IOException {
    if (groupRows > 0) {
      flushRowGroup();
    } else {
      store.close();
      pages.close();
    }
    file.end(Map.of(SPARK_VERSION_KEY, org.apache.spark.package$.MODULE$.SPARK_VERSION(), SPARK_SCHEMA_KEY, format.sparkSchemaJson()));
    compressor.release();
    finished = true;
    FileStatus status = path.getFileSystem(conf).getFileStatus(path);
    return new NewDataFile(relativePath, status.getLen(), status.getModificationTime(), rows, statsJson());
  }

  /** Delta's statistics: {@code numRecords}, and per statistics column its min, max (when any value) and null count. */
  private String statsJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode stats = json.createObjectNode();
    stats.put("numRecords", rows);
    ObjectNode min = stats.putObject("minValues");
    ObjectNode max = stats.putObject("maxValues");
    ObjectNode nulls = stats.putObject("nullCount");
    int[] columns = format.statsColumns();
    for (int s = 0; s < columns.length; s++) {
      String name = format.names()[columns[s]];
      if (nullCounts[s] < rows) {
        boolean text = format.kinds()[columns[s]] == DataFileFormat.Kind.STRING;
        min.put(name, text ? minTexts[s].toString() : LocalDate.ofEpochDay(minNumbers[s]).toString());
        max.put(name, text ? maxTexts[s].toString() : LocalDate.ofEpochDay(maxNumbers[s]).toString());
      }
      nulls.put(name, nullCounts[s]);
    }
    return stats.toString();
  }

  /** Abandons the file unless {@link #finish} completed (a failure): its bytes are never committed to Delta. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    try {
      compressor.release();
      path.getFileSystem(conf).delete(path, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the abandoned data file " + path, e);
    }
  }
}
