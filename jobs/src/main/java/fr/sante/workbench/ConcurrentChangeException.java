package fr.sante.workbench;

/**
 * Another process committed to the same table at the same time and Delta refused this commit (the other one stands);
 * the message says which data it was and what to do.
 */
public class ConcurrentChangeException extends WorkbenchException {
  private static final long serialVersionUID = 1L;

  public ConcurrentChangeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A Delta conflict with another writer in {@code e} or its causes (concurrent append, delete, metadata or protocol change), or null. */
  public static Throwable find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.ConcurrentModificationException && t.getClass().getName().startsWith("io.delta.exceptions.")
          || t instanceof io.delta.exceptions.DeltaConcurrentModificationException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
