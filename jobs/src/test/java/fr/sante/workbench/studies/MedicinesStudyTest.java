package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.generate.GenerateOpenMedic;
import fr.sante.workbench.ingest.openmedic.IngestOpenMedicJob;
import fr.sante.workbench.ingest.population.IngestPopulationJob;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.medicines.MedicinesOptions;
import fr.sante.workbench.studies.medicines.MedicinesStudy;
import fr.sante.workbench.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MedicinesStudyTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  /**
   * Two synthetic years of Open Medic and one département of Île-de-France (75, Paris: 1,000 people per
   * 5-year band and sex, so 40,000 in region 11). Boxes per 1,000 of region 11 must be 1,000 × boxes /
   * 40,000, from the boxes the lake holds for C10 in 11; the generic share is the generic boxes over all.
   */
  @Test
  void boxesPerThousandGenericShareAndYearOnYear() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    GenerateOpenMedic.write(dir.resolve("raw"), 2023, 3000, 1);
    GenerateOpenMedic.write(dir.resolve("raw"), 2024, 3000, 2);
    IngestOpenMedicJob.run(spark, new IngestOpenMedicJob.Options(List.of(dir.resolve("raw").toString()), lake));
    StringBuilder population = new StringBuilder("dep;l_dep;annee;sexe;age_max_cat;value\n");
    for (String sex : List.of("h", "f")) {
      for (int b = 0; b < 20; b++) {
        population.append("75;Paris;2024;").append(sex).append(';').append(b == 19 ? "inf" : String.valueOf(b * 5 + 4)).append(";1000\n");
      }
    }
    Path popFile = Files.writeString(dir.resolve("population.csv"), population);
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(popFile.toString()), lake));

    StudyResult result = MedicinesStudy.run(spark, MedicinesOptions.of(lake, dir.resolve("out")).withAtc("C10"));
    assertThat(Files.readString(result.table("by-year-region").export().manifest())).contains("\"counts\" : \"boxes\"");

    Row c10 = spark.read().format("delta").load(lake.tablePath(Lake.OPEN_MEDIC)).filter("atc2 = 'C10' AND year = 2024 AND region = 11").selectExpr("sum(boxes)").first();
    long boxes = c10.getLong(0);
    DerivedTable perThousand = result.derived("per-1000-by-region");
    int row = -1;
    for (int i = 0; i < perThousand.rows().size(); i++) {
      if (perThousand.rows().get(i).get(0).equals("2024") && perThousand.rows().get(i).get(1).equals("11")) {
        row = i;
      }
    }
    assertThat(row).isNotNegative();
    assertThat(perThousand.column("region_label").get(row)).as("regions named as in the expenditure study").isEqualTo(fr.sante.workbench.schemas.Geography.regions().get("11"));
    assertThat(perThousand.column("boxes").get(row)).isEqualTo(String.valueOf(boxes));
    assertThat(perThousand.column("population").get(row)).isEqualTo("40000");
    assertThat(new BigDecimal(perThousand.column("boxes_per_1000").get(row)))
        .isEqualByComparingTo(BigDecimal.valueOf(boxes * 1000).divide(BigDecimal.valueOf(40_000), 2, RoundingMode.HALF_EVEN));
    Row boxes2023 = spark.read().format("delta").load(lake.tablePath(Lake.OPEN_MEDIC)).filter("atc2 = 'C10' AND year = 2023 AND region = 11").selectExpr("sum(boxes)").first();
    BigDecimal yoy = BigDecimal.valueOf(boxes - boxes2023.getLong(0)).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(boxes2023.getLong(0)), 2, RoundingMode.HALF_EVEN);
    assertThat(new BigDecimal(perThousand.column("boxes_yoy_pct").get(row))).isEqualByComparingTo(yoy);

    Row generic = spark.read().format("delta").load(lake.tablePath(Lake.OPEN_MEDIC)).filter("atc2 = 'C10' AND year = 2024")
        .selectExpr("sum(CASE WHEN top_gen = '1' THEN boxes ELSE 0 END)", "sum(boxes)").first();
    DerivedTable share = result.derived("generic-share");
    int g = share.rows().indexOf(share.rows().stream().filter(r -> r.get(0).equals("2024") && r.get(1).equals("1")).findFirst().orElseThrow());
    assertThat(new BigDecimal(share.column("share_of_boxes_pct").get(g)))
        .isEqualByComparingTo(BigDecimal.valueOf(generic.getLong(0) * 100).divide(BigDecimal.valueOf(generic.getLong(1)), 2, RoundingMode.HALF_EVEN));
    // the substances of C10 only, labelled from code_lists
    assertThat(result.derived("top-substances").column("substance_label")).contains("ATORVASTATINE", "ROSUVASTATINE").doesNotContain("METFORMINE");
    assertThat(result.derived("prescriber-mix").column("prescriber_label")).contains("Psychiatrie libérale (Open DAMIR 33)");
  }
}
