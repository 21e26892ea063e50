package io.maestro.rego.builtins.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegexBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new RegexBuiltins());

  private static Value v(Object o) {
    return Value.fromJava(o);
  }

  @Test
  void match_usesUnanchoredRe2Search() {
    assertThat(h.call("regex.match", "^[a-z]+\\[[0-9]+\\]$", "foo[1]")).isEqualTo(v(true));
    assertThat(h.call("regex.match", "", "x")).isEqualTo(v(true));
    assertThat(h.call("regex.match", "^$", "something")).isEqualTo(v(false));
    assertThatThrownBy(() -> h.call("regex.match", "$^[[[", "x"))
        .isInstanceOf(BuiltinException.class)
        .hasMessageContaining("missing closing ]");
  }

  @Test
  void isValid_isFalseForBadPatternsAndNonStrings() {
    assertThat(h.call("regex.is_valid", ".+")).isEqualTo(v(true));
    assertThat(h.call("regex.is_valid", "++")).isEqualTo(v(false));
    assertThat(h.call("regex.is_valid", 10)).isEqualTo(v(false));
  }

  @Test
  void findN_followsGoFindAll() {
    assertThat(h.call("regex.find_n", "a.", "paranormal", -1))
        .isEqualTo(v(List.of("ar", "an", "al")));
    assertThat(h.call("regex.find_n", "a.", "paranormal", 2)).isEqualTo(v(List.of("ar", "an")));
    assertThat(h.call("regex.find_n", "^a.", "abacadaeaf", -1)).isEqualTo(v(List.of("ab")));
    assertThat(h.call("regex.find_n", "a*", "baaab", -1)).isEqualTo(v(List.of("", "aaa", "")));
    assertThat(
            h.call(
                "regex.find_all_string_submatch_n",
                "[^aouiye]([aouiye])([^aouiye])?",
                "somestri",
                -1))
        .isEqualTo(v(List.of(List.of("som", "o", "m"), List.of("ri", "i", ""))));
  }

  @Test
  void split_andReplace_matchGo() {
    assertThat(h.call("regex.split", "^[a-z ]+$", "foobar baz")).isEqualTo(v(List.of("", "")));
    assertThat(h.call("regex.split", "a", "banana")).isEqualTo(v(List.of("b", "n", "n", "")));
    assertThat(h.call("regex.split", "x", "")).isEqualTo(v(List.of("")));
    assertThat(h.call("regex.replace", "-wy-wxxy-", "w(x*)y", "0")).isEqualTo(v("-0-0-"));
    assertThat(h.call("regex.replace", "foo", "(foo)", "$1$1")).isEqualTo(v("foofoo"));
    assertThat(h.call("regex.replace", "foo", "^[a-z]", "F")).isEqualTo(v("Foo"));
    assertThat(h.call("regex.replace", "foo barx", "[a-z]{2}", "_")).isEqualTo(v("_o __"));
    assertThat(h.call("regex.replace", "abc", "b*", "-")).isEqualTo(v("-a-c-"));
    assertThat(h.call("regex.replace", "ab", "(?P<x>a)", "${x}$$")).isEqualTo(v("a$b"));
  }

  @Test
  void templateMatch_quotesLiteralParts() {
    assertThat(h.call("regex.template_match", "urn:foo:{.*}", "urn:foo:bar:baz", "{", "}"))
        .isEqualTo(v(true));
    assertThat(h.call("regex.template_match", "urn.foo:<[0-9]+>", "urnxfoo:12", "<", ">"))
        .isEqualTo(v(false));
  }

  @Test
  void globsMatch_intersectsPatterns() {
    assertThat(h.call("regex.globs_match", "a.a.[0-9]+z", ".b.b2359825792*594823z"))
        .isEqualTo(v(true));
    assertThat(h.call("regex.globs_match", "[a-z]+", "[0-9]*")).isEqualTo(v(false));
    assertThat(h.call("regex.globs_match", "[a-z]+\\[[0-9]+\\]", "foo\\[1\\]")).isEqualTo(v(true));
    assertThat(h.call("regex.globs_match", "[a-z]+\\[[0-9]+\\]", "foo[\"bar\"]"))
        .isEqualTo(v(false));
    assertThatThrownBy(() -> h.call("regex.globs_match", "pqrs]", "[a-b]+"))
        .hasMessageContaining(
            "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid");
  }

  @Test
  void globMatch_honoursDelimiters() {
    assertThat(h.call("glob.match", "*.github.com", List.of("."), "api.github.com"))
        .isEqualTo(v(true));
    assertThat(h.call("glob.match", "api.**.com", List.of("."), "api.cdn.github.com"))
        .isEqualTo(v(true));
    assertThat(h.call("glob.match", "*", List.of(), "foo.bar")).isEqualTo(v(false));
    assertThat(h.call("glob.match", "*", null, "foo.bar")).isEqualTo(v(true));
    assertThat(h.call("glob.match", "[!a-c]at", List.of(), "fat")).isEqualTo(v(true));
    assertThat(h.call("glob.match", "?at", List.of("f"), "fat")).isEqualTo(v(false));
    assertThat(h.call("glob.match", "{cat,bat,[fr]at}", List.of(), "rat")).isEqualTo(v(true));
    assertThat(h.call("glob.match", "{cat,bat,[fr]at}", List.of(), "at")).isEqualTo(v(false));
    assertThat(h.call("glob.quote_meta", "*.github.com")).isEqualTo(v("\\*.github.com"));
  }
}
