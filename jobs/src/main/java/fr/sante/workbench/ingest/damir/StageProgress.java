package fr.sante.workbench.ingest.damir;

import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * Polls Spark's status tracker while the chunks of a file are parsed and written, and reports the share
 * of chunks done as bytes and rows (chunks are of similar size, so the figures are close estimates).
 */
final class StageProgress implements AutoCloseable {
  private static final long POLL_MILLIS = 500;

  private final Thread thread;
  private volatile boolean stopped;

  StageProgress(SparkSession spark, String jobGroup, int chunks, String file, long bytes, long rows, Progress progress) {
    this(spark, jobGroup, chunks, file, "parsing", bytes, rows, progress);
  }

  /** Reports {@code step} of {@code file} as the share of the stage's {@code tasks} done. */
  StageProgress(SparkSession spark, String jobGroup, int chunks, String file, String step, long bytes, long rows, Progress progress) {
    SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    thread =
        new Thread(
            () -> {
              while (!stopped) {
                int done = completedChunks(tracker, jobGroup, chunks);
                if (done >= 0) {
                  progress.update(file, step, bytes * done / Math.max(1, chunks), bytes, rows < 0 ? 0 : rows * done / Math.max(1, chunks), rows, false);
                }
                try {
                  Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "ingest-progress");
    thread.setDaemon(true);
    thread.start();
  }

  /** Completed tasks of the parsing stage (the one with one task per chunk), or -1 before it starts. */
  private static int completedChunks(SparkStatusTracker tracker, String jobGroup, int chunks) {
    int best = -1;
    for (int jobId : tracker.getJobIdsForGroup(jobGroup)) {
      SparkJobInfo job = tracker.getJobInfo(jobId).getOrElse(() -> null);
      if (job == null) {
        continue;
      }
      for (int stageId : job.stageIds()) {
        SparkStageInfo stage = tracker.getStageInfo(stageId).getOrElse(() -> null);
        if (stage != null && stage.numTasks() == chunks) {
          best = Math.max(best, stage.numCompletedTasks());
        }
      }
    }
    return best;
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
