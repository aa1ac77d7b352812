package fr.sante.workbench.generate;

import fr.sante.workbench.WorkbenchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * Writes synthetic Open DAMIR months, one {@code A<yyyy><mm>.csv.gz} per processing month, in the real
 * files' format. Each block of lines has its own random stream (seeded from seed, month and block), is
 * generated and compressed by a worker as one gzip member, and members are appended in order: the output
 * depends only on the seed, memory stays bounded, and every core works.
 */
public final class GenerateDamirJob {
  private GenerateDamirJob() {}

  /** One written file. */
  public record GeneratedFile(Path path, int month, long rows, long bytes) {}

  public static List<GeneratedFile> run(GenerateDamirOptions options) {
    try {
      Files.createDirectories(options.out());
    } catch (IOException e) {
      throw new WorkbenchException("Cannot create output folder '" + options.out() + "': " + e.getMessage(), e);
    }
    ExecutorService pool = Executors.newFixedThreadPool(options.threads(), daemon());
    try {
      List<GeneratedFile> files = new ArrayList<>();
      for (YearMonth m = options.from(); !m.isAfter(options.to()); m = m.plusMonths(1)) {
        files.add(writeMonth(options, m.getYear() * 100 + m.getMonthValue(), pool));
      }
      return files;
    } finally {
      pool.shutdownNow();
    }
  }

  private static GeneratedFile writeMonth(GenerateDamirOptions options, int month, ExecutorService pool) {
    Path target = options.out().resolve("A" + month + ".csv.gz");
    Path partial = options.out().resolve("A" + month + ".csv.gz.partial");
    long rows = options.rowsPerMonth();
    int blocks = (int) ((rows + GenerateDamirOptions.BLOCK_ROWS - 1) / GenerateDamirOptions.BLOCK_ROWS);
    String name = target.getFileName().toString();
    try (OutputStream out = Files.newOutputStream(partial)) {
      out.write(gzip((LineModel.header() + "\n").getBytes(StandardCharsets.US_ASCII), LineModel.header().length() + 1));
      Deque<Future<byte[]>> window = new ArrayDeque<>();
      options.progress().update(name, "writing", 0, -1, 0, rows, false);
      int next = 0;
      long written = 0;
      long bytes = 0;
      while (next < blocks || !window.isEmpty()) {
        while (next < blocks && window.size() < 2 * options.threads()) {
          int block = next++;
          long blockRows = Math.min(GenerateDamirOptions.BLOCK_ROWS, rows - (long) block * GenerateDamirOptions.BLOCK_ROWS);
          long seed = mix(options.seed(), month, block);
          window.add(pool.submit(() -> block(seed, month, blockRows)));
        }
        byte[] member = window.poll().get();
        out.write(member);
        bytes += member.length;
        written = Math.min(rows, written + GenerateDamirOptions.BLOCK_ROWS);
        options.progress().update(name, "writing", bytes, -1, written, rows, false);
      }
      options.progress().update(name, "writing", bytes, bytes, rows, rows, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + partial, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkbenchException("Interrupted while generating " + name, e);
    } catch (ExecutionException e) {
      throw new WorkbenchException("Cannot generate " + name + ": " + e.getCause(), e.getCause());
    }
    try {
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new GeneratedFile(target, month, rows, Files.size(target));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rename " + partial + " to " + target, e);
    }
  }

  /** Generates and compresses one block: a complete gzip member. */
  private static byte[] block(long seed, int month, long rows) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    LineModel model = new LineModel();
    LineBuffer lines = new LineBuffer(1 << 20);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(1 << 22);
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed, 1 << 16)) {
      for (long i = 0; i < rows; i++) {
        model.write(random, month, lines);
        if (lines.size() > (1 << 20) - 1024) {
          gz.write(lines.array(), 0, lines.size());
          lines.clear();
        }
      }
      gz.write(lines.array(), 0, lines.size());
    }
    return compressed.toByteArray();
  }

  private static byte[] gzip(byte[] data, int length) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data, 0, length);
    }
    return out.toByteArray();
  }

  /** A well-mixed seed for (seed, month, block) (SplitMix64 finaliser). */
  static long mix(long seed, int month, int block) {
    long z = seed * 0x9E3779B97F4A7C15L + month * 0xBF58476D1CE4E5B9L + block * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return task -> {
      Thread t = new Thread(task, "damir-generator");
      t.setDaemon(true);
      return t;
    };
  }
}
