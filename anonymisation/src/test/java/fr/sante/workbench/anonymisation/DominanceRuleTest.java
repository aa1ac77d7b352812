package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DominanceRuleTest {
  @Test
  void nkRuleProtectionLevel() {
    DominanceRule rule = new DominanceRule(1, 85, 0);
    // one contributor holds 90 of 100 (> 85 %): the upper bound must reach 90 / 0.85 = 105.88 → 6 above
    assertThat(rule.protectionNeeded(100, new long[] {90})).isEqualTo(6);
    assertThat(rule.protectionNeeded(100, new long[] {85})).isZero();
    // (2, 90): 70 + 25 = 95 > 90 of 100 → 95 / 0.9 = 105.56 → 6
    assertThat(new DominanceRule(2, 90, 0).protectionNeeded(100, new long[] {70, 25})).isEqualTo(6);
  }

  @Test
  void pPercentRuleProtectionLevel() {
    DominanceRule rule = new DominanceRule(0, 0, 10);
    // x1 = 60, x2 = 35, the rest 5 < 10 % of 60 = 6 → the second could estimate the first within 5: need 1
    assertThat(rule.protectionNeeded(100, new long[] {60, 35})).isEqualTo(1);
    // a single contributor: the rest is 0 < 6 → 6
    assertThat(rule.protectionNeeded(60, new long[] {60, 0})).isEqualTo(6);
    assertThat(rule.protectionNeeded(100, new long[] {30, 20})).isZero();
  }

  @Test
  void invalidRules() {
    assertThatThrownBy(() -> new DominanceRule(1, 120, 0)).hasMessageContaining("need n >= 1 and 0 < k <= 100");
    assertThatThrownBy(() -> new DominanceRule(0, 0, 0)).hasMessageContaining("neither (n, k) nor p % is set");
    assertThatThrownBy(() -> new DominanceRule(0, 0, 100)).hasMessageContaining("Invalid p % rule");
    assertThat(new DominanceRule(1, 85, 10).describe()).isEqualTo("(1, 85) dominance and p % rule with p = 10");
  }
}
