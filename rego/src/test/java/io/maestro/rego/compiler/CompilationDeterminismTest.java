package io.maestro.rego.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.Rego;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same module compiles to the same program whatever was compiled before it. */
class CompilationDeterminismTest {
  /** A comprehension mentions z and v before their := declarations, so both are renamed apart. */
  private static final Map<String, String> M =
      Map.of(
          "m.rego",
          """
          package m
          p contains y if {
            some y in [[z | z := 1][0], 2]
            z := 3
            w := {v | v := z}
            v := 4
            count(w) > 0
          }
          """);

  private static final Map<String, String> N =
      Map.of(
          "n.rego",
          """
          package n
          q if {
            a := [b | some b in [1, 2]]
            b := 3
            count(a) > b
          }
          """);

  private static Map<String, Integer> arities() {
    Map<String, Integer> out = new HashMap<>();
    Rego.standardLibrary().forEach((k, v) -> out.put(k, v.arity()));
    return out;
  }

  @Test
  void unsafeRenamedVariable_isReportedByTheNameTheUserWrote() {
    assertThatThrownBy(
            () ->
                Compiler.compile(
                    Map.of(
                        "u.rego",
                        "package u\nq if {\n  a := [b | b := c]\n  b := 2\n  c := 1\n  a\n}\n"),
                    arities()))
        .hasMessageEndingWith("var b is unsafe")
        .hasMessageNotContaining("$c");
  }

  @Test
  void compilingTheSameModuleTwice_inDifferentOrders_givesIdenticalPrograms() throws Exception {
    String first = dump(Compiler.compile(M, arities()).root());
    Compiler.compile(N, arities());
    Compiler.compile(M, arities());
    String afterOthers = dump(Compiler.compile(M, arities()).root());

    assertThat(first).contains("$c");
    assertThat(afterOthers).isEqualTo(first);
  }

  /** A structural rendering of the compiled rules (records and arrays by content). */
  private static String dump(DocNode node) throws Exception {
    StringBuilder sb = new StringBuilder(String.join(".", node.path)).append('\n');
    List<Object> rules = new ArrayList<>();
    rules.addAll(node.complete);
    rules.addAll(node.generators);
    rules.addAll(node.functions);
    for (Object r : rules) {
      sb.append(render(r)).append('\n');
    }
    for (DocNode child : node.children.values()) {
      sb.append(dump(child));
    }
    return sb.toString();
  }

  private static String render(Object o) throws Exception {
    if (o instanceof Record r) {
      StringBuilder sb = new StringBuilder(r.getClass().getSimpleName()).append('(');
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        sb.append(c.getName()).append('=').append(render(c.getAccessor().invoke(r))).append(' ');
      }
      return sb.append(')').toString();
    }
    if (o instanceof Object[] a) {
      List<String> items = new ArrayList<>();
      for (Object x : a) {
        items.add(render(x));
      }
      return items.toString();
    }
    if (o instanceof List<?> l) {
      List<String> items = new ArrayList<>();
      for (Object x : l) {
        items.add(render(x));
      }
      return items.toString();
    }
    return String.valueOf(o);
  }
}
