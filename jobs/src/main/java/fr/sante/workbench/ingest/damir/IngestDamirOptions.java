package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import java.util.List;
import java.util.Objects;

/**
 * Options of {@link IngestDamirJob}.
 *
 * @param paths files ({@code A*.csv.gz}, {@code A*.csv}, {@code P*.csv[.gz]}) or folders holding them
 * @param lake the lake to write to
 * @param chunkBytes target size of a parallel parsing unit (decompressed bytes)
 * @param progress where to report progress of long steps
 */
public record IngestDamirOptions(List<String> paths, Lake lake, long chunkBytes, Progress progress) {
  /** 128 MiB of CSV per task: about 50 tasks for a real month, each writing one Parquet file. */
  public static final long DEFAULT_CHUNK_BYTES = 128L << 20;

  /** Smallest accepted chunk size, to keep task overhead reasonable. */
  public static final long MIN_CHUNK_BYTES = 64L << 10;

  public IngestDamirOptions {
    paths = List.copyOf(paths);
    Objects.requireNonNull(lake, "lake is null");
    Objects.requireNonNull(progress, "progress is null");
    if (chunkBytes < MIN_CHUNK_BYTES) {
      throw new WorkbenchException("Invalid chunk size: " + chunkBytes + " bytes (must be >= " + MIN_CHUNK_BYTES + ")");
    }
  }

  /** Options with the default chunk size and no progress output. */
  public static IngestDamirOptions of(List<String> paths, Lake lake) {
    return new IngestDamirOptions(paths, lake, DEFAULT_CHUNK_BYTES, Progress.SILENT);
  }

  public IngestDamirOptions withProgress(Progress newProgress) {
    return new IngestDamirOptions(paths, lake, chunkBytes, newProgress);
  }

  public IngestDamirOptions withChunkBytes(long newChunkBytes) {
    return new IngestDamirOptions(paths, lake, newChunkBytes, progress);
  }
}
