package io.maestro.rego.builtins.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new TextBuiltins());

  private static Value s(String v) {
    return StringValue.of(v);
  }

  private static Value n(long v) {
    return NumberValue.of(v);
  }

  private String sprintf(String format, Object... args) {
    return ((StringValue) h.call("sprintf", format, List.of(args))).value();
  }

  @Test
  void splitN_keepsTheFirstOrLastPartsAndDropsTheRest() {
    assertThat(h.call("strings.split_n", "a.b.c.d", ".", 2))
        .isEqualTo(Value.fromJava(List.of("a", "b")));
    assertThat(h.call("strings.split_n", "a.b.c.d", ".", -2))
        .isEqualTo(Value.fromJava(List.of("c", "d")));
    assertThat(h.call("strings.split_n", "a.b", ".", 5))
        .isEqualTo(Value.fromJava(List.of("a", "b")));
    assertThat(h.call("strings.split_n", "a.b", ".", 0)).isEqualTo(Value.fromJava(List.of()));
    assertThat(h.call("strings.split_n", "héllo", "", 2))
        .isEqualTo(Value.fromJava(List.of("h", "é")));
    assertThat(h.call("strings.split_n", "a.b", ".", new BigInteger("99999999999999999999")))
        .isEqualTo(Value.fromJava(List.of("a", "b")));
    assertThatThrownBy(() -> h.call("strings.split_n", "a", ".", 1.5))
        .isInstanceOf(BuiltinException.class)
        .hasMessageContaining("operand 3 must be integer number but got floating-point number");
  }

  @Test
  void concat_joinsArraysAndSets() {
    assertThat(h.call("concat", "/", List.of("", "foo", "bar"))).isEqualTo(s("/foo/bar"));
    assertThat(h.call("concat", ",", Set.of("b", "a"))).isEqualTo(s("a,b"));
    assertThatThrownBy(() -> h.call("concat", ",", List.of("a", 1)))
        .hasMessage("concat: operand 2 must be array of strings but got array containing number");
  }

  @Test
  void indexof_countsRunesNotUtf16Units() {
    assertThat(h.call("indexof", "🍧🍨🧁🍰🍮", "🍮")).isEqualTo(n(4));
    assertThat(h.call("indexof", "skön var våren", "vår")).isEqualTo(n(9));
    assertThat(h.call("indexof", "abc", "x")).isEqualTo(n(-1));
    assertThat(h.call("indexof_n", "aaa", "aa")).isEqualTo(Value.fromJava(List.of(0, 1)));
    assertThatThrownBy(() -> h.call("indexof", "abc", ""))
        .isInstanceOfSatisfying(
            BuiltinException.class, e -> assertThat(e.code()).isEqualTo("eval_builtin_error"));
  }

  @Test
  void substring_followsOpaRules() {
    assertThat(h.call("substring", "abcdefgh", 2, 3)).isEqualTo(s("cde"));
    assertThat(h.call("substring", "aåäö", 2, -1)).isEqualTo(s("äö"));
    assertThat(h.call("substring", "abcdefgh", 2, 10000)).isEqualTo(s("cdefgh"));
    assertThat(h.call("substring", "aaa", 3, -1)).isEqualTo(s(""));
    assertThatThrownBy(() -> h.call("substring", "aaa", -1, -1))
        .hasMessageContaining("negative offset");
  }

  @Test
  void split_emptySeparatorSplitsRunes() {
    assertThat(h.call("split", "test", "")).isEqualTo(Value.fromJava(List.of("t", "e", "s", "t")));
    assertThat(h.call("split", "", "")).isEqualTo(Value.fromJava(List.of()));
    assertThat(h.call("split", "", ".")).isEqualTo(Value.fromJava(List.of("")));
    assertThat(h.call("split", "a.b.", ".")).isEqualTo(Value.fromJava(List.of("a", "b", "")));
  }

  @Test
  void replace_andReplaceN_useGoReplacerPriority() {
    assertThat(h.call("replace", "foo...bar", "..", ",,")).isEqualTo(s("foo,,.bar"));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("foo", "xxx");
    p.put("f", "x");
    assertThat(h.call("strings.replace_n", p, "foobar")).isEqualTo(s("xoobar"));
    assertThat(h.call("strings.replace_n", Map.of("<", "&lt;", ">", "&gt;"), "<b>"))
        .isEqualTo(s("&lt;b&gt;"));
    assertThatThrownBy(() -> h.call("strings.replace_n", Map.of("f", 100), "foo"))
        .hasMessage("strings.replace_n: operand 1 non-string value found in pattern object");
  }

  @Test
  void trim_familyUsesRuneCutsets() {
    assertThat(h.call("trim", "¡¡¡foo, bar!!!", "!¡")).isEqualTo(s("foo, bar"));
    assertThat(h.call("trim_left", "¡¡¡foo, bar!!!", "!¡")).isEqualTo(s("foo, bar!!!"));
    assertThat(h.call("trim_right", "¡¡¡foo, bar!!!", "!¡")).isEqualTo(s("¡¡¡foo, bar"));
    assertThat(h.call("trim_prefix", "¡¡¡foo", "¡¡¡")).isEqualTo(s("foo"));
    assertThat(h.call("trim_suffix", "foo, bar", ", bar")).isEqualTo(s("foo"));
    assertThat(h.call("trim_space", " \t\n foo, bar \n\t\r\n")).isEqualTo(s("foo, bar"));
  }

  @Test
  void stringsCountAndReverse_matchGo() {
    assertThat(h.call("strings.count", "dummy", "")).isEqualTo(n(6));
    assertThat(h.call("strings.count", "11111", "11")).isEqualTo(n(2));
    assertThat(h.call("strings.reverse", "1😀𝛾")).isEqualTo(s("𝛾😀1"));
    assertThat(h.call("strings.reverse", "2️⃣")).isEqualTo(s("⃣️2"));
  }

  @Test
  void anyPrefixMatch_reportsElementTypeErrors() {
    assertThat(h.call("strings.any_prefix_match", List.of("a/b/c"), List.of("d/", "a/")))
        .isEqualTo(Value.fromJava(true));
    assertThat(h.call("strings.any_suffix_match", "a/b/c", Set.of("b/c")))
        .isEqualTo(Value.fromJava(true));
    assertThatThrownBy(() -> h.call("strings.any_prefix_match", List.of(1), "a"))
        .hasMessage(
            "strings.any_prefix_match: operand 1 must be array of strings but got array containing number");
    assertThatThrownBy(() -> h.call("strings.any_prefix_match", "a", 1))
        .hasMessage(
            "strings.any_prefix_match: operand 2 must be one of {string, set, array} but got number");
  }

  @Test
  void formatInt_truncatesAndChecksBase() {
    assertThat(h.call("format_int", 3.1, 10)).isEqualTo(s("3"));
    assertThat(h.call("format_int", 255, 16)).isEqualTo(s("ff"));
    assertThat(h.call("format_int", -5.9, 2)).isEqualTo(s("-101"));
    assertThatThrownBy(() -> h.call("format_int", 4.1, 199))
        .hasMessageContaining("operand 2 must be one of {2, 8, 10, 16}");
  }

  @Test
  void sprintf_integersFollowGoVerbs() {
    assertThat(sprintf("hi %02d", 5)).isEqualTo("hi 05");
    assertThat(sprintf("%5d|%-5d|%05d", -42, 7, -42)).isEqualTo("  -42|7    |-0042");
    assertThat(sprintf("%+d % d", 5, 5)).isEqualTo("+5  5");
    assertThat(sprintf("%x %X %#x %o %b %c %q %U", 255, 255, 255, 8, 5, 65, 65, 65))
        .isEqualTo("ff FF 0xff 10 101 A 'A' U+0041");
    assertThat(sprintf("%s", new BigInteger("123456789123456789123")))
        .isEqualTo("123456789123456789123");
    assertThat(sprintf("%s", 5)).isEqualTo("%!s(int=5)");
    assertThat(sprintf("%.3d", 7)).isEqualTo("007");
  }

  @Test
  void sprintf_floatsFollowGoFormatting() {
    assertThat(sprintf("hi %.2f", 3.1415)).isEqualTo("hi 3.14");
    assertThat(sprintf("%v %v %v", 3.14, 0.0000001, 1234567.5))
        .isEqualTo("3.14 1e-07 1.2345675e+06");
    assertThat(sprintf("%e|%E|%g|%.3g", 1234.5678, 1234.5678, 1234.5678, 3.14159))
        .isEqualTo("1.234568e+03|1.234568E+03|1234.5678|3.14");
    assertThat(sprintf("%8.3f|%-8.2f|", 3.14159, 2.5)).isEqualTo("   3.142|2.50    |");
    assertThat(sprintf("%d", 3.5)).isEqualTo("%!d(float64=3.5)");
    assertThat(sprintf("hi %v", NumberValue.parse("2e308"))).isEqualTo("hi 2e308");
  }

  @Test
  void sprintf_stringsAndCompositesPrintLikeOpa() {
    assertThat(sprintf("hi %s", true)).isEqualTo("hi true");
    assertThat(sprintf("hi %v", List.of("there", 5, 3.14))).isEqualTo("hi [\"there\", 5, 3.14]");
    assertThat(sprintf("%v", Map.of("a", 1))).isEqualTo("{\"a\": 1}");
    assertThat(sprintf("%v", Set.of(2, 1))).isEqualTo("{1, 2}");
    assertThat(sprintf("%q|%x|%.2s|%6s", "a\"b", "hi", "hello", "ab"))
        .isEqualTo("\"a\\\"b\"|6869|he|    ab");
    assertThat(sprintf("%d", "x")).isEqualTo("%!d(string=x)");
  }

  @Test
  void sprintf_reportsArgumentMistakesLikeGo() {
    assertThat(sprintf("%d %d", 1)).isEqualTo("1 %!d(MISSING)");
    assertThat(sprintf("%d", 1, "a")).isEqualTo("1%!(EXTRA string=a)");
    assertThat(sprintf("100%%")).isEqualTo("100%");
    assertThat(sprintf("%[2]d %[1]d", 1, 2)).isEqualTo("2 1");
    assertThat(sprintf("%")).isEqualTo("%!(NOVERB)");
    assertThat(sprintf("%!")).isEqualTo("%!!(MISSING)");
  }

  @Test
  void renderTemplate_rendersFieldsRangesAndConditionals() {
    assertThat(h.call("strings.render_template", "{{.test}}", Map.of("test", "hello world")))
        .isEqualTo(s("hello world"));
    assertThat(h.call("strings.render_template", "{{.test}}", Map.of("test", 2023)))
        .isEqualTo(s("2023"));
    assertThat(
            h.call(
                "strings.render_template",
                "{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}",
                Map.of("hellonames", List.of("rohan", "john doe"))))
        .isEqualTo(s("hello rohan,hello john doe"));
    assertThat(
            h.call("strings.render_template", "test {{.foo}} {{.bar}} {{.baz}}", Map.of("baz", 1)))
        .isEqualTo(s("test <undefined> <undefined> 1"));
  }

  @Test
  void renderTemplate_supportsElseWithPipesAndTrimMarkers() {
    Map<String, Object> vars = Map.of("user", Map.of("name", "ann", "admin", false), "n", 3);
    assertThat(
            h.call(
                "strings.render_template",
                "{{if .user.admin}}admin{{else if eq .user.name \"ann\"}}ann{{else}}other{{end}}",
                vars))
        .isEqualTo(s("ann"));
    assertThat(
            h.call(
                "strings.render_template", "{{with .user}}{{.name | printf \"%q\"}}{{end}}", vars))
        .isEqualTo(s("\"ann\""));
    assertThat(h.call("strings.render_template", "a  {{- .n -}}  b {{/* note */}}", vars))
        .isEqualTo(s("a3b "));
    assertThat(h.call("strings.render_template", "{{len .user}} {{index .user \"name\"}}", vars))
        .isEqualTo(s("2 ann"));
    assertThatThrownBy(() -> h.call("strings.render_template", "{{if .n}}", vars))
        .isInstanceOf(BuiltinException.class);
  }
}
