package fr.sante.workbench.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeographyTest {
  @Test
  void has101DepartementsIn18RegionsMappedToDamirZones() {
    assertThat(Geography.departements()).hasSize(101);
    assertThat(Geography.regions()).hasSize(18);
    Set<String> damir = new HashSet<>();
    for (Departement d : Geography.departements().values()) {
      assertThat(Geography.regions()).containsKey(d.region());
      damir.add(d.damirRegion());
    }
    Set<String> damirCodes = new HashSet<>(CodeLists.load("region").codes());
    damirCodes.remove("99");
    assertThat(damir).as("every DAMIR zone but 'unknown' is reached").isEqualTo(damirCodes);
  }

  @Test
  void normalisesTheCodesSourcesWrite() {
    assertThat(Geography.departement("1").orElseThrow().code()).isEqualTo("01");
    assertThat(Geography.departement("201").orElseThrow().code()).isEqualTo("2A");
    assertThat(Geography.departement("202").orElseThrow().code()).isEqualTo("2B");
    assertThat(Geography.departement("2a").orElseThrow().damirRegion()).as("Corse is in PACA's zone").isEqualTo("93");
    assertThat(Geography.departement("976").orElseThrow().damirRegion()).as("overseas départements are zone 5").isEqualTo("5");
    assertThat(Geography.departement("20")).isEmpty();
    assertThat(Geography.departement("202.0")).as("no source writes it").isEmpty();
  }

  @Test
  void esp2013Has19BandsSummingTo100000() {
    assertThat(StandardPopulation.esp2013()).hasSize(19);
    assertThat(StandardPopulation.esp2013().stream().mapToInt(StandardPopulation.Band::weight).sum()).isEqualTo(100_000);
    assertThat(StandardPopulation.esp2013().get(18).ageMax()).isEmpty();
    assertThat(StandardPopulation.esp2013().get(18).ageMin()).isEqualTo(90);
  }

  @Test
  void everyAldHasALabel() {
    assertThat(CodeLists.load("ald").codes()).hasSize(32).contains("1", "30", "31", "32");
  }
}
