package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.Generalisation;
import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.KAnonymity;
import fr.sante.workbench.anonymisation.LDiversity;
import fr.sante.workbench.anonymisation.Microdata;
import fr.sante.workbench.anonymisation.MicrodataPolicy;
import fr.sante.workbench.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Small cases of the record-level rules whose answer is worked out by hand. */
class MicrodataRulesTest {
  private static final StructType SCHEMA = new StructType().add("a", DataTypes.StringType, true).add("s", DataTypes.StringType, true);

  private static Dataset<Row> records(List<String[]> records) {
    List<Row> rows = records.stream().map(r -> RowFactory.create((Object[]) r)).toList();
    return TestSpark.session().createDataFrame(rows, SCHEMA);
  }

  /**
   * Class x holds s0 and a missing value, class y holds s0 and s1: with l = 2, x is not diverse (a missing value
   * is no value, as in count(distinct)), so its 2 records are suppressed, within the budget of 2.
   */
  @Test
  void missingSensitiveValueIsNoValueForLDiversity() {
    Dataset<Row> data = records(List.of(new String[] {"x", "s0"}, new String[] {"x", null}, new String[] {"y", "s0"}, new String[] {"y", "s1"}));
    Hierarchy a = new Hierarchy("a", List.of(List.of("x", "*"), List.of("y", "*")));
    MicrodataPolicy policy = new MicrodataPolicy(new KAnonymity(List.of("a"), 2), List.of(a), List.of(new LDiversity("s", 2)), List.of(), 0.5);

    Microdata.Anonymised result = Microdata.anonymise(data, policy);

    Generalisation g = result.generalisation();
    assertThat(g.levels()).as("levels: the original values, class x suppressed").containsExactly(0);
    long released = result.released().count();
    assertThat(g.suppressedRecords()).as("suppressed records announced (released %d of 4)", released).isEqualTo(2);
    assertThat(g.classes()).as("classes announced").isEqualTo(1);
    assertThat(released).as("records released = records - suppressed").isEqualTo(4 - g.suppressedRecords());
  }

  /**
   * 71 records share a = x, 29 are unique: at the original values k = 2 suppresses exactly 29 records, which a
   * max-suppression of 0.29 of 100 records allows (0.29 × 100 is 28.999… in floating point).
   */
  @Test
  void suppressionBudgetIsTheShareAsWritten() {
    List<String[]> records = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>(List.of(List.of("x", "*")));
    for (int i = 0; i < 71; i++) {
      records.add(new String[] {"x", "v"});
    }
    for (int i = 1; i <= 29; i++) {
      records.add(new String[] {"u" + i, "v"});
      rows.add(List.of("u" + i, "*"));
    }
    MicrodataPolicy policy = new MicrodataPolicy(new KAnonymity(List.of("a"), 2), List.of(new Hierarchy("a", rows)), List.of(), List.of("s"), 0.29);

    Generalisation g = Microdata.anonymise(records(records), policy).generalisation();

    assertThat(g.levels()).as("levels: the original values, 29 of 100 records suppressed").containsExactly(0);
    assertThat(g.suppressedRecords()).isEqualTo(29);
    assertThat(g.loss()).isZero();
  }
}
