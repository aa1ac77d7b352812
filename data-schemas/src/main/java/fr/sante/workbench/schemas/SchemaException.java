package fr.sante.workbench.schemas;

/** A schema or code-list resource is missing or malformed: a packaging error, never a user-data error. */
public final class SchemaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SchemaException(String message) {
    super(message);
  }

  public SchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
