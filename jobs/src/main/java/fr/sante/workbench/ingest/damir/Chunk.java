package fr.sante.workbench.ingest.damir;

import java.io.Serializable;

/**
 * A line-aligned byte range of a decompressed (or plain) Open DAMIR file: the unit of parallel parsing.
 *
 * @param index position of this chunk in the ingest of one file; names its stats and rejects files
 * @param path file holding the bytes (the staged, decompressed copy for {@code .gz} sources)
 * @param offset first byte of the range, the start of a line
 * @param length number of bytes, ending just after a {@code \n} (or at the end of the file)
 * @param firstLine line number of the first line of the range in the original file (the header is line 1)
 * @param rows number of lines in the range
 */
record Chunk(int index, String path, long offset, long length, long firstLine, long rows) implements Serializable {}
