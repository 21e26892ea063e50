package io.maestro.console.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsageViewTest {
  @Test
  void amounts_showCents() {
    assertThat(UsageView.usd(new BigDecimal("100"))).isEqualTo("$100.00");
    assertThat(UsageView.usd(new BigDecimal("12.345"))).isEqualTo("$12.35");
    assertThat(UsageView.usd(new BigDecimal("0.005"))).isEqualTo("$0.01");
    assertThat(UsageView.usd(BigDecimal.ZERO)).isEqualTo("$0.00");
    assertThat(UsageView.usd(new BigDecimal("0E-9"))).isEqualTo("$0.00");
  }

  @Test
  void aFractionOfACent_showsItsFirstDigits_notZero() {
    assertThat(UsageView.usd(new BigDecimal("0.001180685"))).isEqualTo("$0.00118");
    assertThat(UsageView.usd(new BigDecimal("0.000000165"))).isEqualTo("$0.000000165");
    assertThat(UsageView.usd(new BigDecimal("0.0049"))).isEqualTo("$0.0049");
  }

  @Test
  void jsonAmounts_inAnyNotation() {
    var json = JsonNodeFactory.instance;
    assertThat(UsageView.usd(json.textNode("0.002952293"))).isEqualTo("$0.00295");
    assertThat(UsageView.usd(json.numberNode(8.0E-7))).isEqualTo("$0.0000008");
    assertThat(UsageView.usd(json.nullNode())).isEqualTo("—");
  }
}
