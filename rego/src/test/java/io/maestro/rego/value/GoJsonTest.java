package io.maestro.rego.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.Rego;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  @Test
  void marshal_sortsKeysByCodePointAndEscapesHtmlLikeGo() {
    Value v = Value.fromJava(Map.of("\uD83D\uDE00", 1, "\uFF61", 2, "a<b>&", "x"));
    assertThat(GoJson.marshal(v, null, null))
        .isEqualTo("{\"a\\u003cb\\u003e\\u0026\":\"x\",\"\uFF61\":2,\"\uD83D\uDE00\":1}");
    assertThat(GoJson.marshal(Value.fromJava(Map.of("k", java.util.List.of())), "", "  "))
        .isEqualTo("{\n  \"k\": []\n}");
  }

  @Test
  void jwtPayloads_andJsonMarshal_areWrittenByTheSameWriter() {
    // Keys whose UTF-16 order and code point order differ (Go sorts by bytes, i.e. code points).
    Value p =
        Rego.compile(Map.of(), (Value) null)
            .eval("x := {\"\uFF61\": 1.50, \"\uD83D\uDE00\": 1}", null)
            .first("x");
    String token =
        ((StringValue)
                Rego.compile(Map.of(), (Value) null)
                    .eval(
                        "t := io.jwt.encode_sign({\"alg\":\"HS256\"}, p, {\"kty\":\"oct\",\"k\":\"AAAA\"})"
                            .replace("p,", p.toRego() + ","),
                        null)
                    .first("t"))
            .value();
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(payload).isEqualTo(GoJson.marshal(p, null, null));
  }

  @Test
  void parse_reportsSyntaxErrorsInGosWords() {
    assertThatThrownBy(() -> GoJson.parse("{\"a\" 1}"))
        .hasMessage("invalid character '1' after object key");
    assertThatThrownBy(() -> GoJson.parse("")).hasMessage("unexpected end of JSON input");
  }
}
