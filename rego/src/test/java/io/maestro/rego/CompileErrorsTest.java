package io.maestro.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.maestro.rego.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compilation reports every independent error, each with its file, line and column. */
class CompileErrorsTest {

  private static RegoException compileErrors(Map<String, String> modules) {
    return catchThrowableOfType(RegoException.class, () -> Rego.compile(modules, (Value) null));
  }

  @Test
  void compile_threeIndependentErrorsAcrossTwoFiles_reportsAllSortedByLocation() {
    Map<String, String> modules = new LinkedHashMap<>();
    // b.rego first: the report is sorted by file, not by the order the modules were given.
    modules.put(
        "b.rego",
        """
        package b

        q if {
          count([1], 2, 3)
        }
        """);
    modules.put(
        "a.rego",
        """
        package a

        p if {
          x > 1
        }

        r if {
          nope.nothing(1)
        }
        """);

    RegoException e = compileErrors(modules);

    assertThat(e.errors())
        .extracting(RegoError::file, RegoError::line, RegoError::col, RegoError::code)
        .containsExactly(
            tuple("a.rego", 4, 3, "rego_unsafe_var_error"),
            tuple("a.rego", 8, 3, "rego_type_error"),
            tuple("b.rego", 4, 3, "rego_type_error"));
    assertThat(e.errors().get(0).message()).isEqualTo("var x is unsafe");
    assertThat(e.errors().get(1).message()).contains("undefined function nope.nothing");
    assertThat(e.errors().get(2).message())
        .isEqualTo("count: arity mismatch: expected 1 argument, got 3");
    // The exception as a whole describes its first error, and its message lists all of them.
    assertThat(e.code()).isEqualTo("rego_unsafe_var_error");
    assertThat(e.location().file()).isEqualTo("a.rego");
    assertThat(e.getMessage().lines().toList())
        .containsExactly(
            "a.rego:4: rego_unsafe_var_error: var x is unsafe",
            "a.rego:8: rego_type_error: " + e.errors().get(1).message(),
            "b.rego:4: rego_type_error: count: arity mismatch: expected 1 argument, got 3");
  }

  @Test
  void compile_singleError_keepsTheFormerShape() {
    RegoException e = compileErrors(Map.of("p.rego", "package p\n\np if {\n  x > 1\n}\n"));

    assertThat(e.getMessage()).isEqualTo("p.rego:4: rego_unsafe_var_error: var x is unsafe");
    assertThat(e.errors())
        .containsExactly(new RegoError("rego_unsafe_var_error", "var x is unsafe", "p.rego", 4, 3));
  }

  @Test
  void compile_moreThanTenErrors_capsTheListWithANote() {
    StringBuilder src = new StringBuilder("package many\n");
    for (int k = 0; k < 12; k++) {
      src.append("p").append(k).append(" if { x").append(k).append(" > 1 }\n");
    }

    RegoException e = compileErrors(Map.of("many.rego", src.toString()));

    assertThat(e.errors()).hasSize(RegoException.MAX_ERRORS + 1);
    assertThat(e.errors().subList(0, RegoException.MAX_ERRORS))
        .allSatisfy(err -> assertThat(err.code()).isEqualTo("rego_unsafe_var_error"))
        .extracting(RegoError::line)
        .containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    RegoError note = e.errors().get(RegoException.MAX_ERRORS);
    assertThat(note.file()).isNull();
    assertThat(note.message()).isEqualTo("too many errors: 2 more not shown");
  }

  @Test
  void of_duplicateErrors_areReportedOnce() {
    RegoException one = RegoException.compile("boom", null);
    RegoException same = RegoException.compile("boom", null);

    RegoException e = RegoException.of(List.of(one, same));

    assertThat(e.errors()).hasSize(1);
    assertThat(e.getMessage()).isEqualTo("rego_compile_error: boom");
  }

  @Test
  void compile_parseErrorsInTwoFiles_reportsBoth() {
    Map<String, String> modules = new LinkedHashMap<>();
    modules.put("x.rego", "package x\n\np if {\n");
    modules.put("y.rego", "package y\n\nq := [1,\n");

    RegoException e = compileErrors(modules);

    assertThat(e.errors())
        .extracting(RegoError::file, RegoError::code)
        .containsExactly(tuple("x.rego", "rego_parse_error"), tuple("y.rego", "rego_parse_error"));
  }
}
