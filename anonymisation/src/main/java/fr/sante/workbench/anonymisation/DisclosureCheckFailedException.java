package fr.sante.workbench.anonymisation;

/** The export gate refused to publish: nothing was written but the audit entry recording the refusal. */
public final class DisclosureCheckFailedException extends AnonymisationException {
  private static final long serialVersionUID = 1L;

  public DisclosureCheckFailedException(String message) {
    super(message);
  }
}
