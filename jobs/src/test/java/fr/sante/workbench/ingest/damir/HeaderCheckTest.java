package fr.sante.workbench.ingest.damir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import org.junit.jupiter.api.Test;

class HeaderCheckTest {
  private final TableSchema schema = Schemas.openDamir();
  private final DamirSource a202501 = DamirSource.of("/x/A202501.csv.gz", "A202501.csv.gz");
  private final String header = DamirFixtures.header(Variant.REG);

  @Test
  void acceptsTheRealHeaderWithItsTrailingSeparator() {
    assertThat(HeaderCheck.check(schema, a202501, header)).isEqualTo(new FileLayout(Variant.REG, 56, true));
  }

  @Test
  void acceptsOlderFilesWithoutEtbDcsMcoOrTrailingSeparator() {
    String without = header.replace(";ETB_DCS_MCO;", "");
    assertThat(HeaderCheck.check(schema, a202501, without)).isEqualTo(new FileLayout(Variant.REG, 55, false));
  }

  @Test
  void acceptsZeatNamesInPFiles() {
    DamirSource p = DamirSource.of("/x/P201403.csv", "P201403.csv");
    assertThat(HeaderCheck.check(schema, p, DamirFixtures.header(Variant.ZEAT)).variant()).isEqualTo(Variant.ZEAT);
  }

  @Test
  void namesTheFirstUnexpectedColumn() {
    String renamed = header.replace("BEN_RES_REG", "BEN_RES_REGION");
    assertThatThrownBy(() -> HeaderCheck.check(schema, a202501, renamed))
        .isInstanceOf(HeaderMismatchException.class)
        .hasMessageStartingWith(
            "Header mismatch in 'A202501.csv.gz': expected column 'BEN_RES_REG' at position 4 but found 'BEN_RES_REGION'. Nothing was written. Expected columns (REG variant, then an optional trailing ';'): FLX_ANN_MOI;ORG_CLE_REG;AGE_BEN_SNDS;BEN_RES_REG;");
  }

  @Test
  void namesTheFirstMissingColumn() {
    String truncated = header.substring(0, header.indexOf(";TOP_PS5_TRG"));
    assertThatThrownBy(() -> HeaderCheck.check(schema, a202501, truncated))
        .isInstanceOf(HeaderMismatchException.class)
        .hasMessageContaining("expected column 'TOP_PS5_TRG' at position 55 but the header ends");
  }

  @Test
  void namesAnUnexpectedExtraColumn() {
    assertThatThrownBy(() -> HeaderCheck.check(schema, a202501, header + "NEW_COL;"))
        .isInstanceOf(HeaderMismatchException.class)
        .hasMessageContaining("expected 56 columns but found unexpected column 'NEW_COL' at position 57");
  }

  @Test
  void fileNamesGiveMonthAndVariant() {
    assertThat(DamirSource.of("p", "A202412.csv.gz")).isEqualTo(new DamirSource("p", "A202412.csv.gz", 202412, Variant.REG, true));
    assertThat(DamirSource.of("p", "P200901.CSV").variant()).isEqualTo(Variant.ZEAT);
    assertThatThrownBy(() -> DamirSource.of("p", "damir.csv"))
        .isInstanceOf(WorkbenchException.class)
        .hasMessage("Invalid Open DAMIR file name: 'damir.csv' (must be A<yyyy><mm>.csv[.gz] or P<yyyy><mm>.csv[.gz], e.g. A202501.csv.gz)");
    assertThatThrownBy(() -> DamirSource.of("p", "A202413.csv"))
        .hasMessage("Invalid month in file name 'A202413.csv': 13 (must be 01 to 12)");
  }
}
