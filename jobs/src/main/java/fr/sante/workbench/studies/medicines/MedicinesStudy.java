package fr.sante.workbench.studies.medicines;

import fr.sante.workbench.anonymisation.PublishedTable;
import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.Geography;
import fr.sante.workbench.schemas.SpecialityMap;
import fr.sante.workbench.studies.Charts;
import fr.sante.workbench.studies.Denominators;
import fr.sante.workbench.studies.DerivedTable;
import fr.sante.workbench.studies.Figures;
import fr.sante.workbench.studies.StudyTable;
import fr.sante.workbench.studies.StudyOutput;
import fr.sante.workbench.anonymisation.ReportText;
import fr.sante.workbench.studies.StudyReport;
import fr.sante.workbench.studies.StudyResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Medicines at ATC level from Open Medic (the drug-level part of the prescription study): boxes and
 * reimbursement per 1,000 inhabitants by region, age and sex, generic share, top substances and prescriber
 * speciality mix, year by year with year-on-year change. Counts are boxes (said in every manifest); every
 * table goes through the gate and every figure is computed from the published files.
 */
public final class MedicinesStudy {
  public static final String NAME = "medicines";
  public static final String BOXES = "boxes";
  public static final String REIMBURSED = "reimbursed_eur";

  private MedicinesStudy() {}

  public static StudyResult run(SparkSession spark, MedicinesOptions options) {
    StudyOutput output = StudyOutput.open(spark, options.lake(), options.out(), NAME, options.suppression(), options.progress(), Lake.OPEN_MEDIC);
    Dataset<Row> rows = spark.table(Lake.OPEN_MEDIC).filter(col("base").equalTo("OPEN_MEDIC"));
    String scope = "Open Medic (community pharmacy, all schemes), boxes dispensed (BOITES) and reimbursed (REM)";
    if (options.atc().isPresent()) {
      rows = rows.filter(col(MedicinesOptions.level(options.atc().get())).equalTo(options.atc().get()));
      scope += ", ATC " + options.atc().get();
    }
    if (rows.isEmpty()) {
      throw new fr.sante.workbench.WorkbenchException("Cannot run the medicines study: no Open Medic line" + options.atc().map(a -> " of ATC " + a).orElse("") + " in the lake");
    }
    Map<String, Column> dims = new java.util.LinkedHashMap<>();
    dims.put("year", col("year").cast("string"));
    dims.put("region", col("region").cast("string"));
    dims.put("age", col("age").cast("string"));
    dims.put("sex", col("sex").cast("string"));
    dims.put("generic", col("top_gen"));
    dims.put("substance", col("atc5"));
    dims.put("prescriber", col("psp_spe").cast("string"));
    Map<String, StudyTable> tables = new java.util.LinkedHashMap<>();
    for (List<String> breakdown : List.of(List.of("year", "region"), List.of("year", "age", "sex"), List.of("year", "generic"), List.of("year", "substance"), List.of("year", "prescriber"))) {
      List<Column> select = new ArrayList<>();
      breakdown.forEach(d -> select.add(dims.get(d).as(d)));
      select.add(col("boxes").as(BOXES));
      select.add(col("reimbursed").as(REIMBURSED));
      String name = "by-" + String.join("-", breakdown);
      tables.put(name, output.publish(name, "Boxes and reimbursement by " + String.join(", ", breakdown), rows.select(select.toArray(Column[]::new)),
          output.policy(ExportPolicy.CountUnit.BOXES, breakdown, BOXES, List.of(REIMBURSED)), scope + "; the count is boxes"));
    }
    List<String> years = tables.get("by-year-region").inner().stream().map(c -> c.key().get(0)).distinct().sorted().toList();
    int lastYear = Integer.parseInt(years.get(years.size() - 1));
    // the report's texts: the published tables' titles and filters stay in English (they go into the manifests)
    ReportText text = StudyReport.texts(options.language());
    List<String> notes = new ArrayList<>();
    fr.sante.workbench.studies.PopulationChoice.Outcome chosen =
        fr.sante.workbench.studies.PopulationChoice.choose(spark, Lake.OPEN_MEDIC, lastYear, fr.sante.workbench.studies.PopulationChoice.Wanted.DEFAULT, text);
    Optional<Denominators> population = chosen.choice().map(c -> Denominators.load(spark, c, ageMin -> ageMin < 20 ? "0" : ageMin < 60 ? "20" : "60"));
    notes.add(chosen.choice().map(c -> text.msg("medicines.note.per_1000", c.statement())).orElse(text.msg("medicines.note.no_per_1000", chosen.why())));
    Map<String, String> substances = labels(spark);
    List<DerivedTable> derived = new ArrayList<>();
    derived.add(perThousand(text, "per-1000-by-region", tables.get("by-year-region"), population, List.of("region"), c -> new String[] {c.get(1), null, null},
        Map.of("region", MedicinesStudy::regionLabel)));
    derived.add(perThousand(text, "per-1000-by-age-sex", tables.get("by-year-age-sex"), population, List.of("age", "sex"), c -> new String[] {null, c.get(1), c.get(2)}, Map.of()));
    derived.add(shares(text, "generic-share", tables.get("by-year-generic"), "generic", v -> v.equals("1") ? "generic" : v.equals("0") ? "not generic" : "flag " + v));
    derived.add(shares(text, "top-substances", tables.get("by-year-substance"), "substance", v -> substances.getOrDefault(v, v)));
    Map<String, SpecialityMap.Entry> map = SpecialityMap.openMedicToDamir();
    derived.add(shares(text, "prescriber-mix", tables.get("by-year-prescriber"), "prescriber",
        v -> CodeLists.load("openmedic_psp_spe").label(v).orElse(v) + Optional.ofNullable(map.get(v)).flatMap(SpecialityMap.Entry::damirCode).map(d -> " (Open DAMIR " + d + ")").orElse("")));
    Path report = output.reportDir();
    derived.forEach(d -> d.write(report));
    List<Charts.Figure> charts = new ArrayList<>();
    Path chartDir = report.resolve("charts");
    String year = String.valueOf(lastYear);
    charts.add(bars(text, chartDir, "per-1000-by-region", text.msg("medicines.chart.region", year), derived.get(0), year, "boxes_per_1000", text.msg("medicines.chart.per_1000")));
    charts.add(bars(text, chartDir, "top-substances", text.msg("medicines.chart.substances", year), derived.get(3), year, "share_of_boxes_pct", text.msg("medicines.chart.share")));
    charts.add(bars(text, chartDir, "prescriber-mix", text.msg("medicines.chart.prescribers", year), derived.get(4), year, "share_of_boxes_pct", text.msg("medicines.chart.share")));
    String title = options.atc().map(a -> text.msg("medicines.title.atc", a)).orElse(text.msg("medicines.title"));
    String introduction = options.atc().map(a -> text.msg("medicines.scope.atc", a)).orElse(text.msg("medicines.scope"));
    StudyReport html = new StudyReport(text, title, introduction + ".", output.inputs());
    notes.forEach(html::text);
    html.section(text.msg("medicines.section.region")).chart(charts.get(0)).derived(derived.get(0), 60);
    html.section(text.msg("medicines.section.age_sex")).derived(derived.get(1), 60);
    html.section(text.msg("medicines.section.generic")).derived(derived.get(2), 20);
    html.section(text.msg("medicines.section.substances")).chart(charts.get(1)).derived(derived.get(3), 40);
    html.section(text.msg("medicines.section.prescribers")).chart(charts.get(2)).derived(derived.get(4), 60);
    DerivedTable completeness = fr.sante.workbench.studies.Completeness.of(text, output.published(), derived);
    derived.add(completeness);
    completeness.write(report);
    html.section(completeness.title()).derived(completeness, 60);
    return new StudyResult(NAME, options.out(), output.published(), derived, Charts.drawn(charts), html.write(report), notes);
  }

  /** ATC5 code → substance label, from code_lists (public labels, not study data). */
  private static Map<String, String> labels(SparkSession spark) {
    Map<String, String> out = new HashMap<>();
    if (spark.catalog().tableExists(Lake.CODE_LISTS)) {
      spark.table(Lake.CODE_LISTS).filter(col("table_name").equalTo(Lake.OPEN_MEDIC).and(col("column_name").equalTo("atc5"))).select("code", "label")
          .collectAsList().forEach(r -> out.put(r.getString(0), r.getString(1)));
    }
    return out;
  }

  /** Boxes and reimbursement per 1,000 inhabitants, and the year-on-year change of boxes, for each published line. */
  private static DerivedTable perThousand(ReportText text, String name, StudyTable table, Optional<Denominators> population, List<String> dims,
      java.util.function.Function<List<String>, String[]> slots, Map<String, java.util.function.Function<String, String>> labels) {
    Map<List<String>, PublishedTable.Cell> byKey = new HashMap<>();
    table.cells().forEach(c -> byKey.put(c.key(), c));
    List<List<String>> rows = new ArrayList<>();
    for (PublishedTable.Cell cell : table.cells()) {
      if (cell.key().get(0).equals(StudyTable.TOTAL)) {
        continue; // a sum over years has no population
      }
      List<String> row = new ArrayList<>(cell.key());
      for (int d = 0; d < dims.size(); d++) {
        if (labels.containsKey(dims.get(d))) {
          row.add(labels.get(dims.get(d)).apply(cell.key().get(d + 1)));
        }
      }
      Optional<BigDecimal> boxes = cell.count().isPresent() ? Optional.of(BigDecimal.valueOf(cell.count().getAsLong())) : Optional.empty();
      row.add(Figures.text(boxes));
      row.add(Figures.text(cell.amount(REIMBURSED)));
      String[] s = slots.apply(cell.key());
      OptionalLong persons = population.isPresent() ? population.get().persons(s[0], s[1], s[2]) : OptionalLong.empty();
      Optional<BigDecimal> thousands = persons.isPresent() ? Optional.of(BigDecimal.valueOf(persons.getAsLong()).movePointLeft(3)) : Optional.empty();
      row.add(persons.isPresent() ? String.valueOf(persons.getAsLong()) : "");
      row.add(Figures.text(Figures.ratio(boxes, thousands, 2)));
      row.add(Figures.text(Figures.ratio(cell.amount(REIMBURSED), thousands, 2)));
      List<String> previous = new ArrayList<>(cell.key());
      previous.set(0, String.valueOf(Integer.parseInt(cell.key().get(0)) - 1));
      Optional<PublishedTable.Cell> before = Optional.ofNullable(byKey.get(previous));
      Optional<BigDecimal> boxesBefore = before.filter(b -> b.count().isPresent()).map(b -> BigDecimal.valueOf(b.count().getAsLong()));
      row.add(Figures.text(Figures.growth(boxes, boxesBefore)));
      rows.add(row);
    }
    List<String> headers = new ArrayList<>(List.of("year"));
    headers.addAll(dims);
    dims.stream().filter(labels::containsKey).forEach(d -> headers.add(d + "_label"));
    headers.addAll(List.of(BOXES, REIMBURSED, "population", "boxes_per_1000", "reimbursed_per_1000_eur", "boxes_yoy_pct"));
    return new DerivedTable(name, text.msg("medicines.per_1000.title"), headers, rows, List.of("tables/" + table.name(), text.msg("breakdown.population_source")),
        text.msg("medicines.per_1000.method", population.map(p -> p.source() + " " + p.year()).orElse(text.msg("medicines.population.none"))));
  }

  /** Each value's share of the year's boxes, ranked within the year (1 = most boxes). */
  private static DerivedTable shares(ReportText text, String name, StudyTable table, String dim, java.util.function.Function<String, String> label) {
    List<List<String>> rows = new ArrayList<>();
    Map<String, List<PublishedTable.Cell>> byYear = new java.util.TreeMap<>();
    table.cells().forEach(c -> byYear.computeIfAbsent(c.key().get(0), y -> new ArrayList<>()).add(c));
    for (Map.Entry<String, List<PublishedTable.Cell>> year : byYear.entrySet()) {
      Optional<BigDecimal> total =
          year.getValue().stream().filter(c -> c.key().get(1).equals(StudyTable.TOTAL) && c.count().isPresent()).findFirst()
              .map(c -> BigDecimal.valueOf(c.count().getAsLong()));
      List<PublishedTable.Cell> ranked =
          year.getValue().stream().filter(c -> !c.key().get(1).equals(StudyTable.TOTAL))
              .sorted(Comparator.comparingLong((PublishedTable.Cell c) -> c.count().orElse(-1)).reversed()).toList();
      int rank = 0;
      for (PublishedTable.Cell cell : ranked) {
        Optional<BigDecimal> boxes = cell.count().isPresent() ? Optional.of(BigDecimal.valueOf(cell.count().getAsLong())) : Optional.empty();
        rows.add(List.of(year.getKey(), cell.key().get(1), label.apply(cell.key().get(1)), Figures.text(boxes), Figures.text(cell.amount(REIMBURSED)),
            Figures.text(Figures.percent(boxes, total)), boxes.isPresent() ? String.valueOf(++rank) : ""));
      }
    }
    return new DerivedTable(name, text.msg("medicines.shares.title", text.msg("medicines.dimension." + dim)),
        List.of("year", dim, dim + "_label", BOXES, REIMBURSED, "share_of_boxes_pct", "rank"), rows, List.of("tables/" + table.name()), text.msg("medicines.shares.method"));
  }

  /**
   * Bars of one column for one year (at most 30), named by the table's {@code <dimension>_label} column; a table
   * ranked by the gate's counts keeps its rank, any other goes in the order of its codes as numbers.
   */
  private static Charts.Figure bars(ReportText text, Path dir, String name, String title, DerivedTable table, String year, String column, String yTitle) {
    String dim = table.headers().get(1);
    int value = table.headers().indexOf(column);
    int label = table.headers().indexOf(dim + "_label");
    List<List<String>> rows = new ArrayList<>(table.rows().stream().filter(r -> r.get(0).equals(year) && !r.get(1).equals(StudyTable.TOTAL) && !r.get(value).isEmpty()).toList());
    if (!table.headers().contains("rank")) {
      rows.sort(Comparator.comparing((List<String> r) -> r.get(1), Charts.BY_NUMBER));
    }
    rows = rows.subList(0, Math.min(30, rows.size()));
    return Charts.bars(text, dir, name, title, StudyReport.columnLabel(text, dim), yTitle, rows.stream().map(r -> label < 0 ? r.get(1) : r.get(label)).toList(),
        rows.stream().map(r -> Double.valueOf(r.get(value))).toList());
  }

  /** An Open Medic region (BEN_REG, the 2016 INSEE regions) by its name; codes outside them (unknown) as such. */
  static String regionLabel(String code) {
    return Geography.regions().getOrDefault(code, "region code " + code);
  }
}
