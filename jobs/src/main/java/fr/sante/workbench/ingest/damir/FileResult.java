package fr.sante.workbench.ingest.damir;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the ingest of one file did; one row of {@code ingest_log}.
 *
 * @param unknownCodeRows column to the accepted rows whose code is missing from its code list
 * @param unknownCodeValues column to (missing code to rows), at most 20 codes a column
 */
public record FileResult(
    String ingestId,
    String file,
    String path,
    int month,
    String variant,
    long sizeBytes,
    String sha256,
    long rowsRead,
    long rowsAccepted,
    long rowsRejected,
    long unknownCareMonths,
    Map<String, Long> unknownCodeRows,
    Map<String, Map<String, Long>> unknownCodeValues,
    long damirVersion,
    long rejectsVersion,
    Instant startedAt,
    Instant endedAt) {

  public FileResult {
    unknownCodeRows = Map.copyOf(unknownCodeRows);
    unknownCodeValues = Map.copyOf(unknownCodeValues);
  }

  public Duration duration() {
    return Duration.between(startedAt, endedAt);
  }
}
