package io.maestro.rego.builtins.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.EvalOptions;
import io.maestro.rego.Rego;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoreBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new CoreBuiltins());

  private static Value eval(String query) {
    return Rego.compile(Map.of(), (Value) null).eval("x := " + query, null).first("x");
  }

  @Test
  void arrayFlatten_replacesNestedArraysByTheirElements() {
    assertThat(h.call("array.flatten", List.of(1, List.of(2, List.of(3, List.of())), "a")))
        .isEqualTo(Value.fromJava(List.of(1, 2, 3, "a")));
    assertThat(h.call("array.flatten", List.of(Set.of(1), Map.of("k", List.of(2)))))
        .isEqualTo(Value.fromJava(List.of(Set.of(1), Map.of("k", List.of(2)))));
    assertThatThrownBy(() -> h.call("array.flatten", Set.of(1)))
        .isInstanceOf(BuiltinException.class)
        .hasMessage("array.flatten: operand 1 must be array but got set");
  }

  @Test
  void eqAndAssignCalls_unifyLikeTheirOperators() {
    var policy =
        Rego.compile(
            Map.of(
                "p.rego",
                """
                package p
                a if { assign(x, 2); eq([y, 3], [x, 3]); y == 2 }
                b if eq(1, 2)
                """),
            (Value) null);
    assertThat(policy.eval("x := data.p.a", null).first("x")).isEqualTo(BooleanValue.TRUE);
    assertThat(policy.eval("x := data.p.b", null).isEmpty()).isTrue();
  }

  @Test
  void internalPrint_printsEachOperandsValueOrUndefined() {
    List<String> lines = new ArrayList<>();
    Rego.compile(Map.of(), (Value) null)
        .eval(
            "internal.print([{1}, set(), {\"s\"}])",
            null, EvalOptions.defaults().withPrint(lines::add));
    assertThat(lines).containsExactly("1 <undefined> s");
  }

  @Test
  void internalTemplateString_formatsPartsLikeStringInterpolation() {
    assertThat(eval("internal.template_string([\"n=\", {1}, \" s=\", {\"x\"}, \" u=\", set()])"))
        .isEqualTo(StringValue.of("n=1 s=x u=<undefined>"));
    assertThat(eval("$\"n={1}\"")).isEqualTo(StringValue.of("n=1"));
    assertThatThrownBy(() -> h.call("internal.template_string", List.of(Set.of(1, 2))))
        .hasMessageContaining("template expression must not produce multiple outputs");
  }

  @Test
  void internalTestCase_acceptsAnArrayAndSucceeds() {
    assertThat(h.call("internal.test_case", List.of("name", 1))).isEqualTo(BooleanValue.TRUE);
    assertThatThrownBy(() -> h.call("internal.test_case", "name"))
        .hasMessage("internal.test_case: operand 1 must be array but got string");
  }
}
