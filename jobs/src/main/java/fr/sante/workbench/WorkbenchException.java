package fr.sante.workbench;

/** A user-facing failure: the message says what was expected, what was found and how to fix it. */
public class WorkbenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkbenchException(String message) {
    super(message);
  }

  public WorkbenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
