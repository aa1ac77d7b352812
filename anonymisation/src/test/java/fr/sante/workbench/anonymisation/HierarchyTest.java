package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HierarchyTest {
  @TempDir Path dir;

  @Test
  void readsArxLayoutFiles() throws Exception {
    Path file = dir.resolve("sex.csv");
    Files.writeString(file, "Male;*\nFemale;*\n\n");
    Hierarchy sex = Hierarchy.read("sex", file);
    assertThat(sex.levels()).isEqualTo(2);
    assertThat(sex.rows()).containsExactly(List.of("Male", "*"), List.of("Female", "*"));
  }

  @Test
  void refusesRowsOfUnequalLengthDuplicatesAndNonTrees() {
    assertThatThrownBy(() -> new Hierarchy("age", List.of(List.of("1", "0-4", "*"), List.of("2", "0-4"))))
        .hasMessageContaining("row 2 (2) has 2 levels, expected 3");
    assertThatThrownBy(() -> new Hierarchy("sex", List.of(List.of("M", "*"), List.of("M", "*")))).hasMessageContaining("'M' appears twice");
    assertThatThrownBy(() -> new Hierarchy("age", List.of(List.of("1", "0-4", "a"), List.of("2", "0-4", "b"))))
        .hasMessageContaining("'0-4' at level 1 generalises to both 'a' and 'b'");
  }

  @Test
  void builtInsCoverDepartementsMonthsAndAges() {
    Hierarchy geo = Hierarchy.of("dpt", "geography", dir);
    assertThat(geo.rows()).hasSize(101).contains(List.of("2A", "94", "France"), List.of("59", "32", "France"));
    Hierarchy months = Hierarchy.of("month", "month", dir);
    assertThat(months.rows()).contains(List.of("2024-05", "2024-Q2", "2024", "*"));
    Hierarchy ages = Hierarchy.of("age", "age", dir);
    assertThat(ages.rows()).contains(List.of("37", "35-39", "30-39", "20-39", "*"));
    assertThatThrownBy(() -> Hierarchy.of("x", "missing.csv", dir)).hasMessageContaining("Cannot read the hierarchy of 'x'");
  }
}
