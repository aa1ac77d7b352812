package fr.sante.workbench.ingest.ald;

import fr.sante.workbench.WorkbenchException;

/** A prevalence file does not have the layout we read: names the file, sheet, row and column; nothing is written. */
public final class AldLayoutException extends WorkbenchException {
  private static final long serialVersionUID = 1L;

  AldLayoutException(String message) {
    super(message);
  }
}
