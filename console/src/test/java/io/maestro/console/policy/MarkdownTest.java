package io.maestro.console.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTest {
  @Test
  void theGeneratedPagesSubset_becomesBlocks() {
    List<Markdown.Block> b =
        Markdown.blocks(
            """
            # Role-based access (`maestro.rbac`)

            What each role may do.
            Second line of it.

            | | |
            |---|---|
            | Package | `data.maestro.rbac` |

            ## Deny reasons

            | Code | Meaning |
            |---|---|
            | `role_not_permitted` | None of the roles grants it. |

            - one `a`
            - two

            ```json
            {"action" : "<script>"}
            ```
            """);
    assertThat(b)
        .extracting(Markdown.Block::kind)
        .containsExactly("p", "table", "h", "table", "ul", "pre");
    assertThat(b.get(0).inlines())
        .extracting(Markdown.Inline::text)
        .containsExactly("What each role may do. Second line of it.");
    assertThat(b.get(1).header()).isEmpty();
    assertThat(b.get(1).rows().get(0).get(1))
        .containsExactly(new Markdown.Inline("data.maestro.rbac", true));
    assertThat(b.get(2).level()).isEqualTo(2);
    assertThat(b.get(3).header().get(0)).containsExactly(new Markdown.Inline("Code", false));
    assertThat(b.get(3).rows()).hasSize(1);
    assertThat(b.get(4).items()).hasSize(2);
    assertThat(b.get(5).text()).isEqualTo("{\"action\" : \"<script>\"}\n");
  }

  @Test
  void anUnmatchedBacktick_staysText() {
    assertThat(Markdown.inline("a `b` c `d"))
        .containsExactly(
            new Markdown.Inline("a ", false),
            new Markdown.Inline("b", true),
            new Markdown.Inline(" c ", false),
            new Markdown.Inline("d", false));
  }
}
