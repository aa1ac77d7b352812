package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tables of a study are published together: those linked by a shared dimension, directly or through another. */
class StudyOutputGroupsTest {
  private static StudyOutput.TableSpec t(String name, String... dims) {
    return new StudyOutput.TableSpec(name, name, List.of(dims));
  }

  private static List<List<String>> names(List<List<StudyOutput.TableSpec>> groups) {
    return groups.stream().map(g -> g.stream().map(StudyOutput.TableSpec::name).toList()).toList();
  }

  @Test
  void theExpenditureDefaults() {
    var groups = StudyOutput.groups(List.of(
        t("by-month", "month"), t("by-region", "region"), t("by-age-sex", "age", "sex"), t("by-family", "family"), t("by-region-age-sex", "region", "age", "sex")));
    assertThat(names(groups)).containsExactly(List.of("by-month"), List.of("by-region", "by-age-sex", "by-region-age-sex"), List.of("by-family"));
  }

  @Test
  void aLaterTableJoinsTwoGroups() {
    var groups = StudyOutput.groups(List.of(t("a", "x"), t("b", "y"), t("c", "z"), t("d", "x", "y")));
    assertThat(names(groups)).containsExactly(List.of("a", "b", "d"), List.of("c"));
  }
}
