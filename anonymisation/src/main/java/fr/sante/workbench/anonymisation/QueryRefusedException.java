package fr.sante.workbench.anonymisation;

/**
 * A query that is not a read-only query over the lake's tables, refused before anything ran. The CLI maps it
 * to exit code 2 (a usage error): the analyst asked for something the workbench does not do.
 */
public final class QueryRefusedException extends AnonymisationException {
  private static final long serialVersionUID = 1L;

  public QueryRefusedException(String message) {
    super(message);
  }
}
