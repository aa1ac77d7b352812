package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.WorkbenchException;

/** A file's header does not match the Open DAMIR schema: nothing is written. */
public final class HeaderMismatchException extends WorkbenchException {
  private static final long serialVersionUID = 1L;

  HeaderMismatchException(String message) {
    super(message);
  }
}
