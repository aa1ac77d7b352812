package fr.sante.workbench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench study <name>}. */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    description = {
      "Run a study on the lake; its tables leave through the export gate.",
      "Each table goes to tables/<name>/ with an audit entry; the HTML report, charts (PNG, SVG) and",
      "derived figures (report/) are computed from the published files only."
    },
    subcommands = {StudyExpenditureCommand.class, StudyPrescriptionCommand.class, StudyMedicinesCommand.class, StudyAldCommand.class, StudyModelCommand.class})
public final class StudyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing study: choose one of " + spec.subcommands().keySet());
  }
}
