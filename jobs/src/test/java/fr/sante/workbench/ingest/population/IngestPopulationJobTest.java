package fr.sante.workbench.ingest.population;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestPopulationJobTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private Lake lake() {
    return new Lake(dir.resolve("lake").toString());
  }

  @Test
  void readsInseeEstimatesWithUnpaddedCodesAndTheOpenBand() throws Exception {
    Path file = dir.resolve("population-insee.csv");
    Files.writeString(
        file,
        "dep;l_dep;annee;sexe;age_max_cat;value\n1;Ain;2014;h;4;100\n1;Ain;2014;h;94;7\n1;Ain;2014;h;inf;3\n2A;Corse-du-Sud;2014;f;4;40\n",
        StandardCharsets.UTF_8);
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(file.toString()), lake()));
    Dataset<Row> table = lake().read(spark, Lake.POPULATION);
    assertThat(table.count()).isEqualTo(4);
    Row open = table.filter(col("age_max").isNull()).first();
    assertThat(open.<String>getAs("geo_code")).isEqualTo("01");
    assertThat(open.<Integer>getAs("age_min")).as("the band after 90-94").isEqualTo(95);
    assertThat(open.<Long>getAs("persons")).isEqualTo(3L);
    Row first = table.filter(col("age_max").equalTo(4).and(col("sex").equalTo(1))).first();
    assertThat(first.<Integer>getAs("age_min")).isZero();
    assertThat(table.filter(col("geo_code").equalTo("2A").and(col("sex").equalTo(2))).count()).isEqualTo(1);
  }

  @Test
  void sumsTheSeveralCaissesOfADepartementInTheProtectedPopulation() throws Exception {
    String header = "l_dpt,dpt,0 à 4 ans,90 ans et plus,0 à 4 ans.1,90 ans et plus.1";
    Path file = dir.resolve("population-protegee-rg-departement-2014.csv");
    Files.writeString(
        file, header + "\n01-Ain,01,10.0,1.0,11.0,2.0\n5-Nord,5N,100.0,5.0,90.0,6.0\n5-Nord,5N,200.0,7.0,210.0,8.0\n", StandardCharsets.UTF_8);
    IngestPopulationJob.Result result = IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(file.toString()), lake()));
    assertThat(result.files().get(0).mergedRows()).isEqualTo(1);
    assertThat(result.files().get(0).departements()).isEqualTo(2);
    Dataset<Row> nord = lake().read(spark, Lake.POPULATION).filter(col("geo_code").equalTo("59"));
    assertThat(nord.filter(col("sex").equalTo(1).and(col("age_min").equalTo(0))).first().<Long>getAs("persons")).isEqualTo(300L);
    assertThat(nord.filter(col("sex").equalTo(2).and(col("age_max").isNull())).first().<Long>getAs("persons")).isEqualTo(14L);
    assertThat(nord.first().<Integer>getAs("year")).isEqualTo(2014);
    assertThat(nord.first().<String>getAs("source")).isEqualTo("rg-protected");
  }

  @Test
  void anUnknownLayoutOrDepartementIsAClearError() throws Exception {
    Path file = dir.resolve("other.csv");
    Files.writeString(file, "a;b;c\n");
    assertThatThrownBy(() -> IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(file.toString()), lake())))
        .isInstanceOf(WorkbenchException.class)
        .hasMessageStartingWith("Expected a population header 'dep;l_dep;annee;sexe;age_max_cat;value' (INSEE estimates)");
    Files.writeString(file, "dep;l_dep;annee;sexe;age_max_cat;value\n99;Nowhere;2014;h;4;1\n");
    assertThatThrownBy(() -> IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(file.toString()), lake())))
        .hasMessage("In population file 'other.csv', line 2: expected a département code in column dep but found '99'");
    assertThat(lake().exists(spark, Lake.POPULATION)).isFalse();
  }
}
