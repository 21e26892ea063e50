package io.maestro.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReceiptTypesTest {
  @Test
  void catalogue_inDocsListsExactlyTheTypesInCode() throws IOException {
    Path doc = Path.of("../docs/receipts.md");
    String text = Files.readString(doc);
    String table = text.substring(text.indexOf("## Type catalogue"));
    Set<String> documented = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z_.]+)` \\|").matcher(table);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented)
        .containsExactlyElementsOf(ReceiptTypes.ALL.stream().map(ReceiptType::name).toList());
  }
}
