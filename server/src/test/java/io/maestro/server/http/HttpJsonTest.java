package io.maestro.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpJsonTest {
  @Test
  void amounts_areWrittenInPlainNotation() throws Exception {
    var node = JsonNodeFactory.instance.objectNode().put("costUSD", new BigDecimal("8E-7"));

    assertThat(HttpJson.MAPPER.writeValueAsString(node)).isEqualTo("{\"costUSD\":0.0000008}");
    assertThat(HttpJson.MAPPER.writeValueAsString(Map.of("spent", new BigDecimal("1.87881E-4"))))
        .isEqualTo("{\"spent\":0.000187881}");
  }
}
