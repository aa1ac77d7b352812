package fr.sante.workbench.ingest.damir;

import java.io.Serializable;

/**
 * What a task made of one chunk.
 *
 * @param chunk the chunk's index
 * @param file its data file, or null when it has no accepted row
 * @param stats its counts (read, accepted, rejected, unknown codes)
 */
record ChunkResult(int chunk, fr.sante.workbench.spark.NewDataFile file, ChunkStats stats) implements Serializable {}
