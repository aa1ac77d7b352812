package fr.sante.workbench.ingest.openmedic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.generate.GenerateOpenMedic;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.SpecialityMap;
import fr.sante.workbench.testing.TestSpark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestOpenMedicJobTest {
  private static final Charset CP1252 = Charset.forName("windows-1252");
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private static final String ATORVASTATINE = "C;SYSTEME CARDIOVASCULAIRE;C10;HYPOLIPIDEMIANTS;C10A;HYPOLIPIDEMIANTS SEULS;C10AA;INHIBITEURS DE LA HMG COA REDUCTASE;C10AA05;ATORVASTATINE;3400900000017;ATORVASTATINE GÉNÉRIQUE 20 MG";

  private Lake lake() {
    return new Lake(dir.resolve("lake").toString());
  }

  /** A zip holding OPEN_MEDIC_2023.CSV: lower-case header, cp1252, CRLF, French decimals, three bad lines. */
  private Path realDialectZip() throws Exception {
    String csv =
        "atc1;l_atc1;atc2;l_atc2;atc3;l_atc3;atc4;l_atc4;atc5;l_atc5;cip13;l_cip13;top_gen;gen_num;age;sexe;ben_reg;psp_spe;boites;rem;bse\r\n"
            + ATORVASTATINE + ";1;101;60;2;84;1;1.234;1.234,56;1.899,32\r\n" // line 2
            + ATORVASTATINE + ";1;101;20;1;11;17;15;135,06;207,78\r\n" // line 3
            + ATORVASTATINE + ";1;101;20;1;11;17;15;12.34;207,78\r\n" // line 4: a dot decimal
            + "C;SYSTEME CARDIOVASCULAIRE;C10\r\n" // line 5: too few fields
            + ATORVASTATINE + ";1;101;x;1;11;17;15;135,06;207,78\r\n"; // line 6: age not a number
    Path zip = dir.resolve("open_medic_2023.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("OPEN_MEDIC_2023.CSV"));
      out.write(csv.getBytes(CP1252));
      out.closeEntry();
    }
    return zip;
  }

  @Test
  void readsTheRealDialectAndQuarantinesBadLines() throws Exception {
    Path zip = realDialectZip();
    List<IngestOpenMedicJob.FileResult> results = IngestOpenMedicJob.run(spark, new IngestOpenMedicJob.Options(List.of(zip.toString()), lake()));
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.year()).isEqualTo(2023);
      assertThat(r.read()).isEqualTo(5);
      assertThat(r.accepted()).isEqualTo(2);
      assertThat(r.rejected()).isEqualTo(3);
    });
    List<Row> rows = lake().read(spark, Lake.OPEN_MEDIC).orderBy("line_number").collectAsList();
    assertThat(rows).hasSize(2);
    Row first = rows.get(0);
    assertThat(first.<String>getAs("atc5")).isEqualTo("C10AA05");
    assertThat(first.<String>getAs("cip13")).isEqualTo("3400900000017");
    assertThat(first.<Long>getAs("boxes")).isEqualTo(1234L);
    assertThat(first.<BigDecimal>getAs("reimbursed")).isEqualByComparingTo("1234.56");
    assertThat(first.<BigDecimal>getAs("base_amount")).isEqualByComparingTo("1899.32");
    assertThat(first.<Integer>getAs("age")).isEqualTo(60);
    assertThat(first.<Integer>getAs("psp_spe")).isEqualTo(1);
    assertThat(rows.get(1).<BigDecimal>getAs("reimbursed")).isEqualByComparingTo("135.06");
    assertThat(first.<String>getAs("source_file")).isEqualTo("open_medic_2023.zip!OPEN_MEDIC_2023.CSV");
    // labels decoded from cp1252 into code_lists
    List<Row> labels = lake().read(spark, Lake.CODE_LISTS).filter("table_name = 'open_medic' AND column_name = 'cip13'").collectAsList();
    assertThat(labels).singleElement().satisfies(l -> assertThat(l.getString(3)).isEqualTo("ATORVASTATINE GÉNÉRIQUE 20 MG"));
    List<Row> rejects = lake().read(spark, Lake.OPEN_MEDIC_REJECTS).orderBy("line_number").collectAsList();
    assertThat(rejects).extracting(r -> r.<Long>getAs("line_number")).containsExactly(4L, 5L, 6L);
    assertThat(rejects.get(0).<String>getAs("reason")).isEqualTo("REM: expected a French decimal such as 1.234,56, found '12.34'");
    assertThat(rejects.get(1).<String>getAs("reason")).startsWith("expected 21 fields, found 3");
    assertThat(rejects.get(2).<String>getAs("reason")).isEqualTo("AGE: expected an integer, found 'x'");
    // re-ingesting the year replaces it
    IngestOpenMedicJob.run(spark, new IngestOpenMedicJob.Options(List.of(zip.toString()), lake()));
    assertThat(lake().read(spark, Lake.OPEN_MEDIC).count()).isEqualTo(2);
    assertThat(lake().read(spark, Lake.OPEN_MEDIC_REJECTS).count()).isEqualTo(3);
  }

  /** An NB_ base: consumers (NBC) at a coarser level; the columns it lacks are null, the OPEN_MEDIC rows of the year stay. */
  @Test
  void readsAnNbBaseOfConsumers() throws Exception {
    Path nb = dir.resolve("NB_2023_atc5.csv");
    Files.write(nb, ("ATC1;ATC2;ATC3;ATC4;ATC5;L_ATC5;age;sexe;BEN_REG;NBC\r\n" + "C;C10;C10A;C10AA;C10AA05;ATORVASTATINE;60;2;84;12.345\r\n"
        + "C;C10;C10A;C10AA;C10AA05;ATORVASTATINE;60;1;84;\r\n").getBytes(CP1252));
    IngestOpenMedicJob.run(spark, new IngestOpenMedicJob.Options(List.of(realDialectZip().toString(), nb.toString()), lake()));
    List<Row> consumers = lake().read(spark, Lake.OPEN_MEDIC).filter("base = 'NB'").collectAsList();
    assertThat(consumers).singleElement().satisfies(r -> {
      assertThat(r.<Long>getAs("consumers")).isEqualTo(12_345L);
      assertThat(r.<String>getAs("cip13")).isNull();
      assertThat(r.<Long>getAs("boxes")).isNull();
      assertThat(r.<Integer>getAs("year")).isEqualTo(2023);
    });
    assertThat(lake().read(spark, Lake.OPEN_MEDIC).filter("base = 'OPEN_MEDIC'").count()).isEqualTo(2);
    assertThat(lake().read(spark, Lake.OPEN_MEDIC_REJECTS).filter("base = 'NB'").first().<String>getAs("reason")).isEqualTo("NBC: expected a whole number such as 1.234, found ''");
  }

  @Test
  void anUnknownColumnWritesNothing() throws Exception {
    Path csv = dir.resolve("OPEN_MEDIC_2021.CSV");
    Files.write(csv, ("ATC1;l_ATC1;ATC2;L_ATC2;ATC3;L_ATC3;ATC4;L_ATC4;ATC5;L_ATC5;CIP13;l_cip13;TOP_GEN;GEN_NUM;age;sexe;BEN_REG;PSP_SPE;BOITES;REM;BSE;EXTRA\r\n").getBytes(CP1252));
    assertThatThrownBy(() -> IngestOpenMedicJob.run(spark, new IngestOpenMedicJob.Options(List.of(csv.toString()), lake())))
        .isInstanceOf(WorkbenchException.class)
        .hasMessageStartingWith("Invalid Open Medic header in 'OPEN_MEDIC_2021.CSV': unknown columns [EXTRA]");
    assertThat(lake().exists(spark, Lake.OPEN_MEDIC)).isFalse();
  }

  /** The generator's files pass with zero rejects, and the table's totals equal the file's, summed here from its French numbers. */
  @Test
  void generatedFilesIngestWithoutRejects() throws Exception {
    Path zip = GenerateOpenMedic.write(dir.resolve("raw"), 2024, 800, 5);
    BigDecimal reimbursed = BigDecimal.ZERO;
    long boxes = 0;
    long lines = 0;
    try (ZipFile file = new ZipFile(zip.toFile());
        BufferedReader reader = new BufferedReader(new InputStreamReader(file.getInputStream(file.getEntry("OPEN_MEDIC_2024.CSV")), CP1252))) {
      reader.readLine();
      String line;
      while ((line = reader.readLine()) != null) {
        String[] f = line.split(";", -1);
        boxes += Long.parseLong(f[18].replace(".", ""));
        reimbursed = reimbursed.add(new BigDecimal(f[19].replace(".", "").replace(',', '.')));
        lines++;
      }
    }
    assertThat(lines).isEqualTo(800);
    List<IngestOpenMedicJob.FileResult> results = IngestOpenMedicJob.run(spark, new IngestOpenMedicJob.Options(List.of(dir.resolve("raw").toString()), lake()));
    assertThat(results).singleElement().satisfies(r -> assertThat(r.rejected()).isZero());
    Row totals = lake().read(spark, Lake.OPEN_MEDIC).selectExpr("count(*)", "sum(boxes)", "sum(reimbursed)").first();
    assertThat(totals.getLong(0)).isEqualTo(lines);
    assertThat(totals.getLong(1)).isEqualTo(boxes);
    assertThat(totals.getDecimal(2)).isEqualByComparingTo(reimbursed);
  }

  @Test
  void specialitiesMapOntoOpenDamir() {
    assertThat(SpecialityMap.openMedicToDamir()).hasSize(27);
    assertThat(SpecialityMap.openMedicToDamir().get("17").damirCode()).contains("33");
    assertThat(SpecialityMap.openMedicToDamir().get("90").damirCode()).isEmpty();
  }
}
