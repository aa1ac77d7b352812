package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.schemas.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a source file once, on the driver: checks its header, hashes it (SHA-256 of the bytes as stored),
 * counts its lines, cuts it into line-aligned chunks and, for a gzip file, writes the decompressed bytes to
 * the staging folder so that every core can parse a part of the month (gzip is not splittable).
 */
final class Indexer {
  /** Longest header line we accept before calling the file malformed. */
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private static final int BUFFER = 1 << 20;
  /** Report progress every this many bytes of data. */
  private static final long PROGRESS_STEP = 64L << 20;

  private Indexer() {}

  /**
   * Result of indexing one file.
   *
   * @param sizeBytes size of the source file as stored
   * @param sha256 hex SHA-256 of the source file as stored
   * @param rowsRead data lines (the header excluded)
   * @param dataBytes bytes of data lines (decompressed)
   */
  record Indexed(
      DamirSource source, FileLayout layout, long sizeBytes, String sha256, long rowsRead, long dataBytes, List<Chunk> chunks)
      implements java.io.Serializable {
    Indexed {
      chunks = List.copyOf(chunks);
    }
  }

  /** Reads only the header line of a file and checks it, so a bad file fails before anything is written. */
  static FileLayout checkHeader(TableSchema schema, DamirSource source, Configuration conf) {
    Path path = new Path(source.path());
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (fs.getFileStatus(path).getLen() == 0) { // GZIPInputStream would fail with an EOFException and no message
        throw new HeaderMismatchException("Expected a header line in '" + source.name() + "' but the file is empty (0 bytes)");
      }
      try (InputStream raw = fs.open(path);
          InputStream in = source.compressed() ? new GZIPInputStream(raw, 1 << 16) : raw) {
        return HeaderCheck.check(schema, source, readHeader(source, in));
      }
    } catch (IOException e) {
      throw unreadable(source, "Cannot read the header of Open DAMIR file '" + source.path() + "'", e);
    }
  }

  /**
   * A failure to read {@code source}: a gzip stream that ends early or is not gzip says so (Java's own message, e.g.
   * "Unexpected end of ZLIB input stream", names no file and suggests no fix).
   */
  private static WorkbenchException unreadable(DamirSource source, String action, IOException e) {
    if (source.compressed() && (e instanceof java.io.EOFException || e instanceof java.util.zip.ZipException)) {
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new WorkbenchException(
          action + ": truncated or corrupt gzip file '" + source.name() + "' (" + detail + "); download it again or check it with 'gzip -t'", e);
    }
    return new WorkbenchException(action + ": " + e.getMessage(), e);
  }

  static Indexed index(
      TableSchema schema,
      DamirSource source,
      String stagingDir,
      long chunkBytes,
      int parallelism,
      Configuration conf,
      Progress progress) {
    Path path = new Path(source.path());
    try {
      FileSystem fs = path.getFileSystem(conf);
      long size = fs.getFileStatus(path).getLen();
      // the hash reads the stored bytes on a second thread: the main one is busy inflating and scanning
      CompletableFuture<String> sha256 = CompletableFuture.supplyAsync(() -> sha256(fs, path));
      CountingInputStream counted = new CountingInputStream(fs.open(path, BUFFER));
      try (InputStream in = source.compressed() ? new GZIPInputStream(counted, 1 << 16) : counted) {
        String header = readHeader(source, in);
        FileLayout layout = HeaderCheck.check(schema, source, header);
        long headerBytes = header.getBytes(StandardCharsets.ISO_8859_1).length + 1L;
        long estimatedData = source.compressed() ? size * 6 : size;
        // the scan cuts pieces of about an eighth of a chunk; once the size is known they are grouped into chunks
        long target = Math.max(1L << 16, Math.min(chunkBytes, estimatedData / Math.max(1, 2 * parallelism)) / PIECES_PER_CHUNK);
        String dataPath;
        long baseOffset;
        OutputStream out;
        FileSystem stagingFs = null;
        if (source.compressed()) {
          Path staged = new Path(stagingDir, source.name().replaceAll("(?i)\\.gz$", ""));
          stagingFs = FileSystem.newInstance(staged.toUri(), conf);
          stagingFs.setWriteChecksum(false);
          out = stagingFs.create(staged, true, BUFFER);
          dataPath = stagingFs.makeQualified(staged).toString();
          baseOffset = 0;
        } else {
          out = null;
          dataPath = source.path();
          baseOffset = headerBytes;
        }
        try {
          Scan scan = scan(source, in, out, baseOffset, target, size, counted, progress);
          return new Indexed(source, layout, size, join(sha256), scan.rows, scan.bytes, scan.chunks(dataPath, chunkBytes, parallelism));
        } finally {
          if (out != null) {
            out.close();
          }
          if (stagingFs != null) {
            stagingFs.close();
          }
        }
      }
    } catch (IOException e) {
      throw unreadable(source, "Cannot read Open DAMIR file '" + source.path() + "' while indexing month " + source.month(), e);
    }
  }

  /** Hex SHA-256 of the file as stored. */
  private static String sha256(FileSystem fs, Path path) {
    try (InputStream in = fs.open(path, BUFFER)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot hash " + path, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256", e);
    }
  }

  private static String join(CompletableFuture<String> hash) throws IOException {
    try {
      return hash.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private static Scan scan(
      DamirSource source,
      InputStream in,
      OutputStream out,
      long baseOffset,
      long target,
      long size,
      CountingInputStream counted,
      Progress progress)
      throws IOException {
    Scan scan = new Scan(baseOffset);
    byte[] buffer = new byte[BUFFER];
    long nextReport = PROGRESS_STEP;
    progress.update(source.name(), "reading", 0, size, 0, -1, false);
    int n;
    boolean lastWasNewline = true;
    while ((n = in.read(buffer)) > 0) {
      if (out != null) {
        out.write(buffer, 0, n);
      }
      int i = 0;
      // eight bytes at a time: a word with no '\n' (the common case, lines are ~160 bytes) is skipped whole
      for (; i + 8 <= n; i += 8) {
        long newlines = newlineBits((long) WORDS.get(buffer, i));
        while (newlines != 0) {
          newline(scan, scan.bytes + i + (Long.numberOfTrailingZeros(newlines) >>> 3) + 1, target);
          newlines &= newlines - 1;
        }
      }
      for (; i < n; i++) {
        if (buffer[i] == '\n') {
          newline(scan, scan.bytes + i + 1, target);
        }
      }
      lastWasNewline = buffer[n - 1] == '\n';
      scan.bytes += n;
      if (scan.bytes >= nextReport) {
        progress.update(source.name(), "reading", counted.count, size, scan.rows, -1, false);
        nextReport = scan.bytes + PROGRESS_STEP;
      }
    }
    if (!lastWasNewline) {
      scan.rows++;
    }
    if (scan.bytes > scan.chunkStart) {
      scan.cut(scan.bytes);
    }
    progress.update(source.name(), "reading", size, size, scan.rows, scan.rows, true);
    return scan;
  }

  /** Pieces cut by the scan per chunk wanted: grouping them evens out the chunks once the size is known. */
  static final int PIECES_PER_CHUNK = 8;

  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  /** The high bit of each byte of {@code word} that is '\n', and no other bit (exact, no borrow errors). */
  static long newlineBits(long word) {
    long x = word ^ NEWLINES; // '\n' bytes become 0
    long t = ((x & LOW_SEVEN) + LOW_SEVEN) | x; // high bit set in every non-zero byte
    return ~(t | LOW_SEVEN);
  }

  private static void newline(Scan scan, long end, long target) {
    scan.rows++;
    if (end - scan.chunkStart >= target) {
      scan.cut(end);
    }
  }

  private static String readHeader(DamirSource source, InputStream in) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      header.write(b);
      if (header.size() > MAX_HEADER_BYTES) {
        throw new HeaderMismatchException(
            "Expected a header line of at most " + MAX_HEADER_BYTES + " bytes in '" + source.name() + "' but found a longer first line");
      }
    }
    if (b < 0 && header.size() == 0) {
      throw new HeaderMismatchException("Expected a header line in '" + source.name() + "' but the file is empty");
    }
    return header.toString(StandardCharsets.ISO_8859_1);
  }

  /** Running state of the scan: data bytes and lines seen, chunk boundaries cut so far. */
  private static final class Scan {
    private final long baseOffset;
    private final List<long[]> cuts = new ArrayList<>();
    private long bytes;
    private long rows;
    private long chunkStart;
    private long chunkFirstRow;

    Scan(long baseOffset) {
      this.baseOffset = baseOffset;
    }

    void cut(long end) {
      cuts.add(new long[] {chunkStart, end - chunkStart, chunkFirstRow, rows - chunkFirstRow});
      chunkStart = end;
      chunkFirstRow = rows;
    }

    /**
     * Groups the pieces into contiguous chunks of at most about {@code chunkBytes}, at least two per core, and a
     * multiple of {@code parallelism} of them, of similar sizes: no core is left with a last chunk alone.
     */
    List<Chunk> chunks(String path, long chunkBytes, int parallelism) {
      int cores = Math.max(1, parallelism);
      long wanted = Math.max((bytes + chunkBytes - 1) / chunkBytes, 2L * cores);
      int count = (int) Math.min(cuts.size(), (wanted + cores - 1) / cores * cores);
      List<Chunk> out = new ArrayList<>(count);
      int piece = 0;
      for (int group = 0; group < count; group++) {
        long end = group == count - 1 ? bytes : bytes * (group + 1) / count;
        long[] first = cuts.get(piece);
        long rows = 0;
        long[] last = first;
        // take pieces up to the group's share of the bytes, leaving at least one piece to each later group
        while (piece < cuts.size() - (count - 1 - group)) {
          last = cuts.get(piece);
          rows += last[3];
          piece++;
          if (last[0] + last[1] >= end) {
            break;
          }
        }
        // line 1 is the header, so data row r (0-based) is line r + 2
        out.add(new Chunk(group, path, baseOffset + first[0], last[0] + last[1] - first[0], first[2] + 2, rows));
      }
      return out;
    }
  }

  /** Counts the bytes read from the underlying (compressed) stream, for progress. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
