package fr.sante.workbench.spark;

import java.io.Serializable;

/**
 * A data file written for a Delta table but not yet part of it: what the commit that adds it records.
 *
 * @param path path relative to the table's root (for example {@code FLX_ANN_MOI=202401/part-….parquet})
 * @param sizeBytes file size
 * @param modificationTime file modification time (ms since the epoch)
 * @param rows rows in the file
 * @param statsJson Delta's per-file statistics ({@code numRecords}, {@code minValues}, {@code maxValues}, {@code nullCount})
 */
public record NewDataFile(String path, long sizeBytes, long modificationTime, long rows, String statsJson) implements Serializable {}
