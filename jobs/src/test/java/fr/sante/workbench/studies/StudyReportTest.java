package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's layout: wide tables scroll in their box, cells keep '2024-01' on one line, synthetic data is flagged once. */
class StudyReportTest {
  @TempDir Path dir;

  private Path report() {
    DerivedTable monthly = new DerivedTable("monthly", "Month by month", List.of("month", "lines"), List.of(List.of("2024-01", "12"), List.of("2024-02", "")), List.of("tables/by-month"), "m.");
    return new StudyReport("Expenditure", "Open DAMIR", Map.of("damir", 3L)).derived(monthly, 10).write(dir);
  }

  @Test
  void wrapsEveryTableInAScrollingBoxAndKeepsCellsOnOneLine() throws Exception {
    String html = Files.readString(report());

    assertThat(html).contains("<div class=\"wide\"><table><tr><th title=\"month\">Month</th><th title=\"lines\">Lines</th></tr>", "<td>2024-01</td>", "</table></div>");
    assertThat(html).as("the box scrolls, the cells do not wrap").contains(".wide{overflow-x:auto", "td{white-space:nowrap}", "figure img{max-width:100%");
  }

  @Test
  void breaksColumnNamesAfterUnderscoresAndLetsLabelsWrap() throws Exception {
    DerivedTable regions = new DerivedTable("regions", "By region", List.of("region", "region_label", "reimbursed_eur", "not_a_known_column"),
        List.of(List.of("32", "Hauts-de-France - Nord-Pas-de-Calais-Picardie", "-12.50", "x")), List.of("tables/by-region"), "r.");
    String html = Files.readString(new StudyReport("Expenditure", "Open DAMIR", Map.of("damir", 3L)).derived(regions, 10).write(dir));

    // a column is shown by its label, its CSV name in the tooltip; a name without a label breaks after its underscores
    assertThat(html).contains("<th title=\"region\">Region of residence</th>", "<th title=\"not_a_known_column\">not_<wbr>a_<wbr>known_<wbr>column</th>",
        "<tr><td>32</td><td class=\"text\">Hauts-de-France - Nord-Pas-de-Calais-Picardie</td><td>-12.50</td><td>x</td></tr>", "td.text{white-space:normal");
  }

  @Test
  void flagsASyntheticReportOnceAtTheTop() throws Exception {
    Path report = report();
    StudyReport.flagSynthetic(report, "Synthetic data: made up.");
    StudyReport.flagSynthetic(report, "Synthetic data: made up.");

    String html = Files.readString(report);
    assertThat(html).containsOnlyOnce("<p class=\"synthetic\">Synthetic data: made up.</p>");
    assertThat(html.indexOf("class=\"synthetic\">")).as("before the title").isLessThan(html.indexOf("<h1>"));
  }
}
