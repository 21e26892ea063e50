package io.maestro.rego.builtins.semver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.Value;
import org.junit.jupiter.api.Test;

class SemverBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new SemverBuiltins());

  @Test
  void compare_ordersByPrecedence() {
    assertThat(h.call("semver.compare", "1.0.0", "2.0.0")).isEqualTo(Value.fromJava(-1));
    assertThat(h.call("semver.compare", "1.0.0+b1", "1.0.0+b2")).isEqualTo(Value.fromJava(0));
    assertThat(h.call("semver.compare", "1.0.0-alpha", "1.0.0")).isEqualTo(Value.fromJava(-1));
    assertThat(h.call("semver.compare", "1.0.0-alpha.10", "1.0.0-alpha.9"))
        .isEqualTo(Value.fromJava(1));
    assertThat(h.call("semver.compare", "1.0.0-alpha.1", "1.0.0-alpha.beta"))
        .isEqualTo(Value.fromJava(-1));
    assertThat(h.call("semver.compare", "1.0.0-rc.1", "1.0.0-rc.1.1"))
        .isEqualTo(Value.fromJava(-1));
  }

  @Test
  void compare_rejectsInvalidVersionsWithOpaMessage() {
    assertThatThrownBy(() -> h.call("semver.compare", "1", "1.0.0"))
        .hasMessage("semver.compare: operand 1: string \"1\" is not a valid SemVer");
  }

  @Test
  void isValid_isFalseForNonStringsAndBadIdentifiers() {
    assertThat(h.call("semver.is_valid", "1.0.0")).isEqualTo(Value.fromJava(true));
    assertThat(h.call("semver.is_valid", "1.0.0-beta..1")).isEqualTo(Value.fromJava(false));
    assertThat(h.call("semver.is_valid", "v1.0.0")).isEqualTo(Value.fromJava(false));
    assertThat(h.call("semver.is_valid", 1)).isEqualTo(Value.fromJava(false));
  }
}
