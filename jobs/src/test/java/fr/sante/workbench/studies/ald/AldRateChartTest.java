package fr.sante.workbench.studies.ald;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.studies.Charts;
import fr.sante.workbench.studies.DerivedTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each ALD's chart picks the rate its own lines carry (the demo drew two empty charts from the first ALD's choice). */
class AldRateChartTest {
  @TempDir Path dir;

  @Test
  void drawsEachAldFromTheRateItsLinesHave() {
    List<String> headers = List.of("ald", "territory_label", "crude_per_100k", "standardised_per_100k", "cnam_standardised_per_100k");
    DerivedTable prevalence = new DerivedTable("prevalence", "p", headers,
        List.of(
            List.of("8", "Ain", "100.0", "95.0", ""),
            List.of("8", "Aisne", "120.0", "110.0", ""),
            List.of("15", "Ain", "30.0", "", ""),
            List.of("15", "Aisne", "", "", ""),
            List.of("30", "Ain", "", "", "")),
        List.of("test"), "m");

    assertThat(AldStudy.rateChart(dir, prevalence, "8")).isInstanceOf(Charts.Chart.class).extracting(Charts.Figure::title)
        .isEqualTo("ALD 8: standardised prevalence per 100,000, highest départements");
    assertThat(AldStudy.rateChart(dir, prevalence, "15")).as("standardised rates of ALD 8 do not empty the chart of ALD 15")
        .isInstanceOf(Charts.Chart.class).extracting(Charts.Figure::title).isEqualTo("ALD 15: crude prevalence per 100,000, highest départements");
    assertThat(AldStudy.rateChart(dir, prevalence, "30")).isInstanceOf(Charts.Omitted.class);
  }
}
