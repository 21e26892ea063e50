package io.maestro.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RegoEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PreparedPolicy policy(String src) {
    return Rego.compile(Map.of("policy.rego", src), (Value) null);
  }

  private static Value json(String s) throws Exception {
    return Value.fromJson(JSON.readTree(s));
  }

  @Test
  void eval_completeRuleWithDefault_followsInput() throws Exception {
    PreparedPolicy p =
        policy(
            """
            package authz
            default allow := false
            allow if input.user == "alice"
            """);
    assertThat(p.evalRef("data.authz.allow", json("{\"user\":\"alice\"}"), EvalOptions.defaults()))
        .isEqualTo(BooleanValue.TRUE);
    assertThat(p.evalRef("data.authz.allow", json("{\"user\":\"bob\"}"), EvalOptions.defaults()))
        .isEqualTo(BooleanValue.FALSE);
  }

  @Test
  void eval_partialSetAndObjectRules_collectEverySolution() throws Exception {
    PreparedPolicy p =
        policy(
            """
            package t
            names contains u.name if some u in input.users
            by_name[u.name] := u.age if some u in input.users
            """);
    Value in = json("{\"users\":[{\"name\":\"a\",\"age\":1},{\"name\":\"b\",\"age\":2}]}");
    assertThat(p.evalRef("data.t.names", in, EvalOptions.defaults()).toJson().toString())
        .isEqualTo("[\"a\",\"b\"]");
    assertThat(p.evalRef("data.t.by_name", in, EvalOptions.defaults()).toJson().toString())
        .isEqualTo("{\"a\":1,\"b\":2}");
  }

  @Test
  void eval_queryVariables_becomeRows() {
    PreparedPolicy p = policy("package t\nxs := [3, 1, 2]");
    ResultSet rs = p.eval("x := data.t.xs[i]; x > 1", null);
    assertThat(rs.rows()).hasSize(2);
    assertThat(rs.rows())
        .extracting(r -> r.get("x"))
        .containsExactlyInAnyOrder(NumberValue.of(3), NumberValue.of(2));
  }

  @Test
  void eval_arbitraryPrecision_keepsExactNumbers() {
    PreparedPolicy p = policy("package t\nx := 9223372036854775807 + 1\ny := 0.1 + 0.2");
    assertThat(p.evalRef("data.t.x", null, EvalOptions.defaults()).toString())
        .isEqualTo("9223372036854775808");
    assertThat(p.evalRef("data.t.y", null, EvalOptions.defaults()))
        .isEqualTo(NumberValue.parse("0.3"));
  }

  @Test
  void eval_conflictingCompleteRules_raiseConflictError() {
    PreparedPolicy p = policy("package t\np := 1 if true\np := 2 if true");
    assertThatThrownBy(() -> p.evalRef("data.t.p", null, EvalOptions.defaults()))
        .isInstanceOfSatisfying(
            RegoException.class, e -> assertThat(e.code()).isEqualTo("eval_conflict_error"));
  }

  @Test
  void eval_builtinErrors_areUndefinedUnlessStrict() {
    PreparedPolicy p = policy("package t\np := 1 / 0");
    assertThat(p.evalRef("data.t.p", null, EvalOptions.defaults())).isNull();
    assertThatThrownBy(() -> p.evalRef("data.t.p", null, EvalOptions.defaults().withStrict(true)))
        .isInstanceOfSatisfying(
            RegoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("eval_builtin_error");
              assertThat(e.getMessage()).contains("divide by zero").startsWith("policy.rego:2:");
            });
  }

  @Test
  void compile_unsafeVariable_isReportedWithLocation() {
    assertThatThrownBy(() -> policy("package t\np if {\n  x > 1\n}"))
        .isInstanceOfSatisfying(
            RegoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("rego_unsafe_var_error");
              assertThat(e.getMessage())
                  .isEqualTo("policy.rego:3: rego_unsafe_var_error: var x is unsafe");
            });
  }

  @Test
  void compile_reassignment_isRejected() {
    assertThatThrownBy(() -> policy("package t\np if {\n  x := 1\n  x := 2\n}"))
        .isInstanceOfSatisfying(
            RegoException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo("policy.rego:4: rego_compile_error: var x assigned above"));
  }

  @Test
  void compile_parseError_hasOpaCode() {
    assertThatThrownBy(() -> policy("package t\np if {"))
        .isInstanceOfSatisfying(
            RegoException.class, e -> assertThat(e.code()).isEqualTo("rego_parse_error"));
  }

  @Test
  void compile_mutualRecursion_isRejected() {
    assertThatThrownBy(() -> policy("package t\np if q\nq if p"))
        .isInstanceOfSatisfying(
            RegoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("rego_recursion_error");
              assertThat(e.getMessage()).contains("data.t.p").contains("data.t.q");
            });
  }

  @Test
  void compile_functionAndValueWithOneName_conflict() {
    assertThatThrownBy(() -> policy("package t\nf(x) := x\nf := 1"))
        .isInstanceOfSatisfying(
            RegoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("rego_type_error");
              assertThat(e.getMessage()).contains("conflicting rules data.t.f found");
            });
  }

  @Test
  void eval_withModifiers_replaceInputDataAndFunctions() {
    PreparedPolicy p =
        policy(
            """
            package t
            f(x) := x + 1
            p := f(input.n)
            q := r if r := p with input.n as 10
            s := r if r := p with f as 100 with input.n as 0
            """);
    assertThat(p.evalRef("data.t.q", null, EvalOptions.defaults())).isEqualTo(NumberValue.of(11));
    assertThat(p.evalRef("data.t.s", null, EvalOptions.defaults())).isEqualTo(NumberValue.of(100));
  }

  @Test
  void eval_indexedRules_selectTheSameRulesAsAFullScan() throws Exception {
    StringBuilder src = new StringBuilder("package t\ndefault level := 0\n");
    for (int i = 0; i < 20; i++) {
      src.append("level := ")
          .append(i + 1)
          .append(" if input.action == \"a")
          .append(i)
          .append("\"\n");
    }
    src.append("level := 99 if input.other == true\n");
    PreparedPolicy p = policy(src.toString());
    assertThat(p.evalRef("data.t.level", json("{\"action\":\"a7\"}"), EvalOptions.defaults()))
        .isEqualTo(NumberValue.of(8));
    assertThat(
            p.evalRef(
                "data.t.level", json("{\"action\":\"zz\",\"other\":true}"), EvalOptions.defaults()))
        .isEqualTo(NumberValue.of(99));
    assertThat(p.evalRef("data.t.level", json("{}"), EvalOptions.defaults()))
        .isEqualTo(NumberValue.of(0));
  }

  @Test
  void eval_printAndExplain_reachTheirSinks() {
    PreparedPolicy p =
        policy(
            "package t\np if {\n  print(\"hello\", input.missing)\n  trace(\"why\")\n  false\n}");
    List<String> printed = new ArrayList<>();
    Explain explain = new Explain(Explain.Mode.FAILS);
    p.eval("data.t.p", null, EvalOptions.defaults().withPrint(printed::add).withTracer(explain));
    assertThat(printed).containsExactly("hello <undefined>");
    assertThat(explain.events()).extracting(Explain.Event::op).contains("Note", "Fail");
  }

  @Test
  void eval_pastDeadline_isCancelled() {
    PreparedPolicy p = policy("package t\np := count([x | some x in numbers.range(1, 2000000)])");
    assertThatThrownBy(
            () ->
                p.evalRef(
                    "data.t.p", null, EvalOptions.defaults().withTimeout(Duration.ofMillis(1))))
        .isInstanceOfSatisfying(
            RegoException.class, e -> assertThat(e.code()).isEqualTo("eval_cancel_error"));
  }

  @Test
  void preparedPolicy_isSafeToShareAcrossThreads() throws Exception {
    PreparedPolicy p = policy("package t\nallow if input.n % 2 == 0");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  Value v =
                      p.evalRef(
                          "data.t.allow", Value.fromJava(Map.of("n", n)), EvalOptions.defaults());
                  return (v != null) == (n % 2 == 0);
                }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eval_stringInterpolation_rendersValues() {
    PreparedPolicy p = policy("package t\nname := \"ann\"\ngreeting := $\"hi {name}, {[1, 2]}\"");
    assertThat(p.evalRef("data.t.greeting", null, EvalOptions.defaults()))
        .isEqualTo(StringValue.of("hi ann, [1, 2]"));
  }
}
