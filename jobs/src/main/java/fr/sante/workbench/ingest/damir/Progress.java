package fr.sante.workbench.ingest.damir;

/** Receives progress of a long ingest step; implementations print it for a person, or ignore it. */
public interface Progress {
  /** A progress sink that discards everything (tests, notebooks that do not want output). */
  Progress SILENT = (file, step, bytesDone, bytesTotal, rowsDone, rowsTotal, finished) -> {};

  /**
   * Reports how far {@code step} of {@code file} has gone.
   *
   * @param bytesTotal total bytes of the step, or -1 when unknown
   * @param rowsTotal total rows of the step, or -1 when unknown
   * @param finished whether the step is complete
   */
  void update(
      String file, String step, long bytesDone, long bytesTotal, long rowsDone, long rowsTotal, boolean finished);

  /** A one-line step of a job without bytes or rows to count (a study's table published, say). */
  default void step(String line) {}

  /**
   * Runs {@code work} as a step: a line when it starts, then {@code [  4.2 s] done: what} (or {@code failed:}) when it
   * ends, with its duration.
   */
  default <T> T during(String what, java.util.function.Supplier<T> work) {
    step(what);
    long start = System.nanoTime();
    boolean done = false;
    try {
      T result = work.get();
      done = true;
      return result;
    } finally {
      step(String.format(java.util.Locale.ROOT, "[%5.1f s] %s %s", (System.nanoTime() - start) / 1e9, done ? "done:" : "failed:", what));
    }
  }

  /** {@link #during(String, java.util.function.Supplier)} for work without a result. */
  default void during(String what, Runnable work) {
    during(what, () -> {
      work.run();
      return null;
    });
  }
}
