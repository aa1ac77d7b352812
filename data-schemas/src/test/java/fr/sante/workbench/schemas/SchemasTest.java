package fr.sante.workbench.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SchemasTest {
  private final TableSchema damir = Schemas.openDamir();

  @Test
  void theOpenDataPublicationsAndOnlyThemSayWhoPublishesTheirRows() {
    assertThat(Schemas.lakeTables().stream().filter(t -> Schemas.ofLakeTable(t).orElseThrow().isOpenData()).toList())
        .containsExactlyInAnyOrder("damir", "ald_prevalence", "open_medic");
    assertThat(Schemas.aldPrevalence().openData()).startsWith("CNAM").contains("each row");
    // derived tables and the workbench's own tables are never a publication of their producer
    assertThat(Schemas.population().isOpenData()).isFalse();
    assertThat(Schemas.auditLog().isOpenData()).isFalse();
  }

  @Test
  void describesFiftyFiveDocumentedColumnsPlusEtbDcsMco() {
    assertThat(damir.fields()).hasSize(56);
    assertThat(damir.fields().get(0).name()).isEqualTo("FLX_ANN_MOI");
    assertThat(damir.fields().get(55).name()).isEqualTo("ETB_DCS_MCO");
    assertThat(damir.fields().get(55).mayBeAbsent()).isTrue();
    assertThat(damir.minimumColumnCount()).isEqualTo(55);
    assertThat(new HashSet<>(damir.headerNames(Variant.REG))).hasSize(56);
  }

  @Test
  void zeatVariantRenamesExactlyTheSixRegionSlots() {
    List<String> reg = damir.headerNames(Variant.REG);
    List<String> zeat = damir.headerNames(Variant.ZEAT);
    Set<String> renamed = new HashSet<>();
    for (int i = 0; i < reg.size(); i++) {
      if (!reg.get(i).equals(zeat.get(i))) {
        renamed.add(reg.get(i) + "->" + zeat.get(i));
      }
    }
    assertThat(renamed)
        .containsExactlyInAnyOrder(
            "ORG_CLE_REG->ORG_CLE_ZEAT",
            "BEN_RES_REG->BEN_RES_ZEAT",
            "ETE_REG_COD->ETE_ZEAT_COD",
            "ETP_REG_COD->ETP_ZEAT_COD",
            "EXE_INS_REG->EXE_INS_ZEAT",
            "PRE_INS_REG->PRE_INS_ZEAT");
  }

  @Test
  void everyCodeListReferenceResolves() {
    for (FieldSpec field : damir.fields()) {
      for (Variant variant : Variant.values()) {
        field
            .codeListIn(variant)
            .ifPresent(list -> assertThat(CodeLists.load(list).size()).as(field.name() + " " + list).isPositive());
      }
    }
  }

  @Test
  void typesMoneyAsDecimalAndCodesAsIntegers() {
    StructType table = damir.tableType();
    assertThat(table.apply("PRS_PAI_MNT").dataType()).isEqualTo(new DecimalType(18, 2));
    assertThat(table.apply("PRS_ACT_COG").dataType()).isEqualTo(new DecimalType(18, 2));
    assertThat(table.apply("PRS_REM_TAU").dataType()).isInstanceOf(DecimalType.class);
    assertThat(table.apply("PRS_NAT").dataType()).isEqualTo(DataTypes.IntegerType);
    assertThat(table.apply("SOI_ANN").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(table.apply("PRS_ACT_NBR").nullable()).isTrue();
    assertThat(table.apply("PRS_ACT_QTE").nullable()).isFalse();
    assertThat(table.apply("CARE_MONTH").dataType()).isEqualTo(DataTypes.DateType);
    assertThat(table.fieldNames()).hasSize(56 + 1 + 6);
  }

  @Test
  void codeListsHoldTheCodesTheReferenceNames() {
    assertThat(CodeLists.load("region").codes())
        .containsExactly("5", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "99");
    assertThat(CodeLists.load("prs_nat").codes()).contains("3313", "2111", "7111", "1110", "1972", "9999");
    assertThat(CodeLists.load("exo_mtf").codes()).contains("41", "42", "43", "44", "45", "46");
  }

  @Test
  void splitsQuotedCsvCells() {
    assertThat(CsvResources.split("1;\"A; B \"\"C\"\"\"")).containsExactly("1", "A; B \"C\"");
  }

  @Test
  void missingCodeListIsAClearError() {
    assertThatThrownBy(() -> CodeLists.load("nope"))
        .isInstanceOf(SchemaException.class)
        .hasMessage("Cannot load code list 'nope': resource 'codelists/nope.csv' is missing");
  }

  @Test
  void readsEveryTypeAsSparksDdlParserDoes() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> resources =
        List.of(
            Schemas.OPEN_DAMIR_RESOURCE, Schemas.DAMIR_REJECTS_RESOURCE, Schemas.INGEST_LOG_RESOURCE, Schemas.CODE_LISTS_RESOURCE,
            Schemas.ALD_PREVALENCE_RESOURCE, Schemas.POPULATION_RESOURCE, Schemas.AUDIT_LOG_RESOURCE, Schemas.OPEN_MEDIC_RESOURCE,
            Schemas.OPEN_MEDIC_REJECTS_RESOURCE);
    Set<String> seen = new HashSet<>();
    for (String resource : resources) {
      TableSchema schema = Schemas.load(resource);
      try (java.io.InputStream in = Schemas.class.getResourceAsStream(resource)) {
        com.fasterxml.jackson.databind.JsonNode root = json.readTree(in);
        List<com.fasterxml.jackson.databind.JsonNode> fields = new java.util.ArrayList<>();
        root.get("fields").forEach(fields::add);
        root.path("derivedFields").forEach(fields::add);
        List<FieldSpec> specs = new java.util.ArrayList<>(schema.fields());
        specs.addAll(schema.derivedFields());
        for (com.fasterxml.jackson.databind.JsonNode field : fields) {
          String ddl = field.get("sparkType").asText();
          seen.add(ddl);
          FieldSpec spec = specs.stream().filter(f -> f.name().equals(field.get("name").asText())).findFirst().orElseThrow();
          assertThat(spec.sparkType()).as(resource + " " + spec.name()).isEqualTo(org.apache.spark.sql.types.DataType.fromDDL(ddl));
        }
      }
    }
    assertThat(seen).contains("int", "bigint", "string", "date", "boolean", "timestamp", "decimal(18,2)", "map<string,bigint>");
  }
}
