package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** Reads the charts XChart was given: where each point sits, in what order, with what names, and when none is drawn. */
class ChartsTest {
  @TempDir Path dir;

  private static Map<String, List<? extends Number>> spentAndReimbursed(List<Double> spent, List<Double> reimbursed) {
    Map<String, List<? extends Number>> series = new LinkedHashMap<>();
    series.put("spent", spent);
    series.put("reimbursed", reimbursed);
    return series;
  }

  @Test
  void putsEveryPointOfEverySeriesOnItsMonthsTick() {
    List<String> months = List.of("2024-01", "2024-02", "2024-03", "2024-04");
    XYChart chart = Charts.monthChart("t", "€ millions", months, spentAndReimbursed(List.of(10.0, 11.0, 12.0, 13.0), List.of(7.0, 8.0, 9.0, 10.0)));

    for (XYSeries series : chart.getSeriesMap().values()) {
      double[] xs = series.getXData();
      assertThat(xs).as("one point per month in series %s", series.getName()).hasSize(months.size());
      for (int i = 0; i < xs.length; i++) {
        assertThat(chart.getStyler().getxAxisTickLabelsFormattingFunction().apply(xs[i]))
            .as("the tick label at the x of point %d of series %s", i, series.getName()).isEqualTo(months.get(i));
      }
    }
    assertThat(chart.getSeriesMap().get("spent").getXData()).as("no series is shifted sideways from another")
        .containsExactly(chart.getSeriesMap().get("reimbursed").getXData());
    assertThat(chart.getStyler().getxAxisTickLabelsFormattingFunction().apply(0.5)).as("no label between two months").isEmpty();
    assertThat(chart.getStyler().getLegendPosition()).as("the legend sits below the plot, over no point").isEqualTo(Styler.LegendPosition.OutsideS);
  }

  @Test
  void spacesMonthsByTheirDistanceAndLeavesAHiddenValueAsAGap() {
    List<String> months = List.of("2023-12", "2024-01", "2024-03");
    List<Double> values = Arrays.asList(5.0, null, 6.0);
    XYSeries series = Charts.monthChart("t", "y", months, Charts.single("spent", values)).getSeriesMap().get("spent");

    assertThat(series.getXData()).containsExactly(0.0, 1.0, 3.0);
    assertThat(series.getYData()[1]).as("a hidden value is a gap (NaN), never a zero").isNaN();
  }

  @Test
  void refusesMonthsOutOfOrder() {
    assertThatThrownBy(() -> Charts.monthChart("Spending", "y", List.of("2024-02", "2024-01"), Charts.single("s", List.of(1.0, 2.0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot draw chart 'Spending': months must increase, found 2024-02 then 2024-01");
  }

  @Test
  void ordersCodesAsNumbers() {
    List<String> codes = new ArrayList<>(List.of("30", "15", "8", "2A", "99"));
    codes.sort(Charts.BY_NUMBER);
    assertThat(codes).containsExactly("8", "15", "30", "99", "2A");
  }

  @Test
  void keepsWholeCategoryNamesAndLeavesHiddenBarsOut() {
    String longName = "Hauts-de-France - Nord-Pas-de-Calais";
    CategoryChart chart = Charts.barChart("t", "region", "€ millions", List.of("Bretagne", longName, "Corse"), Arrays.asList(1.0, 2.0, null));

    CategorySeries series = chart.getSeriesMap().values().iterator().next();
    assertThat(new ArrayList<Object>(series.getXData())).as("whole names, in the order given, hidden ones left out").containsExactly("Bretagne", longName);
    assertThat(new ArrayList<Number>(series.getYData())).containsExactly(1.0, 2.0);
  }

  @Test
  void saysWhyInsteadOfDrawingAChartWithNoPublishedValue() throws Exception {
    Charts.Figure none = Charts.bars(dir, "empty", "ALD 15", "département", "per 100,000", List.of("01", "02"), Arrays.asList(null, null));
    Charts.Figure noLine = Charts.months(dir, "nothing", "Monthly", "y", List.of(), Charts.single("spent", List.of()));

    assertThat(none).isEqualTo(new Charts.Omitted("empty", "ALD 15",
        "Not drawn: none of its 2 values is published (the gate suppressed them, or each needs a suppressed value)."));
    assertThat(noLine).isEqualTo(new Charts.Omitted("nothing", "Monthly", "Not drawn: the published tables have no line for it."));
    try (var files = Files.list(dir)) {
      assertThat(files).as("no file for a chart not drawn").isEmpty();
    }
    String html = Files.readString(new StudyReport("r", "i", Map.of()).chart(none).write(dir.resolve("report")));
    assertThat(html).contains("<p class=\"no-chart\"><strong>ALD 15.</strong> Not drawn: none of its 2 values is published").doesNotContain("<img");
  }

  @Test
  void writesADrawnChartAsPngAndSvg() {
    Charts.Figure figure = Charts.months(dir, "monthly", "Monthly", "y", List.of("2024-01", "2024-02"), Charts.single("spent", List.of(1.0, 2.0)));

    assertThat(figure).isInstanceOfSatisfying(Charts.Chart.class, c -> {
      assertThat(c.png()).exists();
      assertThat(c.svg()).exists();
    });
  }
}
