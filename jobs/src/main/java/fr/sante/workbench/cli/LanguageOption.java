package fr.sante.workbench.cli;

import fr.sante.workbench.anonymisation.ReportLanguage;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --lang en|fr}: the language of the HTML pages a command writes (CSV files and manifests do not change). */
public final class LanguageOption {
  /** The command this option belongs to: a bad value is a usage error of that command. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  @Option(
      names = "--lang",
      defaultValue = "en",
      paramLabel = "LANG",
      completionCandidates = Codes.class,
      description = "Language of the HTML report: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). Code labels stay as the code lists give them; CSV files and manifests do not change.")
  String lang;

  ReportLanguage language() {
    return Choices.parse(command, "--lang", lang, ReportLanguage.class);
  }

  /** The languages' codes, for the help text and shell completion. */
  static final class Codes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(ReportLanguage.values()).map(ReportLanguage::code).iterator();
    }
  }
}
