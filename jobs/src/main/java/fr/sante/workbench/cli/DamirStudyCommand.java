package fr.sante.workbench.cli;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirStudyOptions;
import fr.sante.workbench.studies.StudyResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the Open DAMIR study commands share: options, selection, breakdowns, the run and its summary. */
abstract class DamirStudyCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Mixin StudyOutputOptions output;
  @Mixin LanguageOption lang;
  @Mixin SelectionOptions selection;
  @Mixin BreakdownOptions breakdowns;
  @Spec CommandSpec spec;

  private final String name;
  private final BiFunction<Lake, Path, DamirStudyOptions> defaults;
  private final List<List<DamirAxis>> defaultBreakdowns;
  private final BiFunction<SparkSession, DamirStudyOptions, StudyResult> study;

  DamirStudyCommand(
      String name, BiFunction<Lake, Path, DamirStudyOptions> defaults, List<List<DamirAxis>> defaultBreakdowns, BiFunction<SparkSession, DamirStudyOptions, StudyResult> study) {
    this.name = name;
    this.defaults = defaults;
    this.defaultBreakdowns = defaultBreakdowns;
    this.study = study;
  }

  @Override
  public Integer call() {
    DamirStudyOptions options =
        defaults.apply(lake.lake(), output.out)
            .withSelection(selection.selection())
            .withBreakdowns(breakdowns.breakdowns(defaultBreakdowns))
            .withSuppression(output.suppression())
            .withProgress(TerminalProgress.lines())
            .withLanguage(lang.language());
    StudyResult result = study.apply(sparkOptions.session("workbench study " + name), options);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
