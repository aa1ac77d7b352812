package fr.sante.workbench.anonymisation;

/** No generalisation of the hierarchies satisfies the rules within the suppression budget: the export is refused. */
public final class NoSafeGeneralisationException extends AnonymisationException {
  private static final long serialVersionUID = 1L;

  public NoSafeGeneralisationException(String message) {
    super(message);
  }
}
