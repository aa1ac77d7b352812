package fr.sante.workbench.anonymisation;

/** An invalid policy or table: the message says what was expected and what was found; nothing is written. */
public class AnonymisationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AnonymisationException(String message) {
    super(message);
  }
}
