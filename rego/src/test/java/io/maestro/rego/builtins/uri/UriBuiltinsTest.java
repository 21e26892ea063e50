package io.maestro.rego.builtins.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UriBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new UriBuiltins());

  @Test
  void parse_returnsThePartsThatArePresent() {
    assertThat(h.call("uri.parse", "https://user@Example.com:8443/a%20b/c?x=1&y=2#top"))
        .isEqualTo(
            Value.fromJava(
                Map.of(
                    "scheme", "https",
                    "hostname", "Example.com",
                    "port", "8443",
                    "path", "/a b/c",
                    "raw_path", "/a b/c",
                    "raw_query", "x=1&y=2",
                    "fragment", "top")));
    assertThat(h.call("uri.parse", "/only/a/path"))
        .isEqualTo(Value.fromJava(Map.of("path", "/only/a/path", "raw_path", "/only/a/path")));
    assertThat(h.call("uri.parse", "HTTP://[::1]:80"))
        .isEqualTo(Value.fromJava(Map.of("scheme", "http", "hostname", "::1", "port", "80")));
  }

  @Test
  void parse_keepsTheRawPathWhenItsEscapingDiffersFromGos() {
    assertThat(h.call("uri.parse", "http://h/a%2Fb"))
        .isEqualTo(
            Value.fromJava(
                Map.of("scheme", "http", "hostname", "h", "path", "/a/b", "raw_path", "/a%2Fb")));
  }

  @Test
  void parse_rejectsWhatGoRejects_withGosWording() {
    assertThatThrownBy(() -> h.call("uri.parse", ":foo"))
        .isInstanceOf(BuiltinException.class)
        .hasMessage("uri.parse: parse \":foo\": missing protocol scheme");
    assertThatThrownBy(() -> h.call("uri.parse", "http://h/%zz"))
        .hasMessage("uri.parse: parse \"http://h/%zz\": invalid URL escape \"%zz\"");
    assertThatThrownBy(() -> h.call("uri.parse", "http://h:port/"))
        .hasMessage("uri.parse: parse \"http://h:port/\": invalid port \":port\" after host");
    assertThat(h.call("uri.parse", "///x"))
        .isEqualTo(Value.fromJava(Map.of("path", "///x", "raw_path", "///x")));
    assertThat(h.call("uri.parse", "file:///x"))
        .isEqualTo(Value.fromJava(Map.of("scheme", "file", "path", "/x", "raw_path", "/x")));
    assertThat(h.call("uri.parse", "mailto:someone@example.com"))
        .isEqualTo(Value.fromJava(Map.of("scheme", "mailto")));
    assertThatThrownBy(() -> h.call("uri.parse", "http://h:x/#%zz"))
        .hasMessage("uri.parse: parse \"http://h:x/#%zz\": invalid port \":x\" after host");
    assertThatThrownBy(() -> h.call("uri.parse", "1a:b"))
        .hasMessage("uri.parse: parse \"1a:b\": first path segment in URL cannot contain colon");
  }

  @Test
  void isValid_isFalseForEmptyNonStringAndUnparsable() {
    assertThat(h.call("uri.is_valid", "https://example.com/x")).isEqualTo(BooleanValue.TRUE);
    assertThat(h.call("uri.is_valid", "relative/path")).isEqualTo(BooleanValue.TRUE);
    assertThat(h.call("uri.is_valid", "")).isEqualTo(BooleanValue.FALSE);
    assertThat(h.call("uri.is_valid", 42)).isEqualTo(BooleanValue.FALSE);
    assertThat(h.call("uri.is_valid", "http://a b/")).isEqualTo(BooleanValue.FALSE);
    assertThat(h.call("uri.is_valid", "%")).isEqualTo(BooleanValue.FALSE);
  }
}
