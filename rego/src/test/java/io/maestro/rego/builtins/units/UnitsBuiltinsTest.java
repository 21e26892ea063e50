package io.maestro.rego.builtins.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UnitsBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new UnitsBuiltins());

  private static Value n(String s) {
    return NumberValue.parse(s);
  }

  @Test
  void parse_distinguishesMilliFromMega() {
    assertThat(h.call("units.parse", "500m")).isEqualTo(n("0.5"));
    assertThat(h.call("units.parse", "0.0005K")).isEqualTo(n("0.5"));
    assertThat(h.call("units.parse", "4M")).isEqualTo(n("4000000"));
    assertThat(h.call("units.parse", "1Ki")).isEqualTo(n("1024"));
    assertThat(h.call("units.parse", "2MI")).isEqualTo(n("2097152"));
    assertThat(h.call("units.parse", "1G").toString()).isEqualTo("1000000000");
    assertThatThrownBy(() -> h.call("units.parse", "1mb"))
        .hasMessage("units.parse: unit mb not recognized");
  }

  @Test
  void parseBytes_truncatesLikeOpa() {
    assertThat(h.call("units.parse_bytes", "1.1KiB")).isEqualTo(n("1126"));
    assertThat(h.call("units.parse_bytes", "\"100TIB\"")).isEqualTo(n("109951162777600"));
    assertThat(h.call("units.parse_bytes", "10eib")).isEqualTo(n("11529215046068469760"));
    assertThat(h.call("units.parse_bytes", "3.2E2MiB")).isEqualTo(n("335544320"));
    assertThat(h.call("units.parse_bytes", "1e-2KB")).isEqualTo(n("10"));
    assertThat(h.call("units.parse_bytes", "5E")).isEqualTo(n("5000000000000000000"));
    assertThat(h.call("units.parse_bytes", ".0")).isEqualTo(n("0"));
  }

  @Test
  void parseBytes_reportsOpaErrors() {
    assertThatThrownBy(() -> h.call("units.parse_bytes", "GB"))
        .hasMessage("units.parse_bytes: no byte amount provided");
    assertThatThrownBy(() -> h.call("units.parse_bytes", "0.0.0"))
        .hasMessage("units.parse_bytes: could not parse byte amount to a number");
    assertThatThrownBy(() -> h.call("units.parse_bytes", " 327MiB "))
        .hasMessage("units.parse_bytes: spaces not allowed in resource strings");
    assertThatThrownBy(() -> h.call("units.parse_bytes", "1e1234567"))
        .hasMessage("units.parse_bytes: exponent too large");
  }

  @Test
  void float64BitRounding_matchesBinaryFloatMantissa() {
    // 0.1 is not representable; a 64-bit mantissa keeps it within 2^-67 of the decimal.
    BigDecimal r = UnitsBuiltins.Float64Bit.round(new BigDecimal("0.1"));
    assertThat(r.subtract(new BigDecimal("0.1")).abs()).isLessThan(new BigDecimal("1e-20"));
    assertThat(UnitsBuiltins.Float64Bit.round(new BigDecimal("1024"))).isEqualByComparingTo("1024");
  }
}
