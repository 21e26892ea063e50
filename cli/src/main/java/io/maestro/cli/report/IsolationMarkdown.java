package io.maestro.cli.report;

import io.maestro.cli.report.IsolationRun.Attempt;
import io.maestro.cli.report.IsolationRun.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The isolation report as Markdown: summary, leaks (0 expected), then every attempt. */
final class IsolationMarkdown {
  private IsolationMarkdown() {}

  static String render(String server, Instant at, Result r) {
    List<String> leaks = r.leaks();
    long cross = r.attempts().stream().filter(Attempt::crossTenant).count();
    Map<Integer, Integer> statuses = new TreeMap<>();
    r.attempts().forEach(a -> statuses.merge(a.answer().status(), 1, Integer::sum));
    long twins = r.attempts().stream().filter(a -> a.twin().isPresent()).count();
    StringBuilder md = new StringBuilder();
    md.append("# Tenant isolation report\n\n");
    md.append("- Server: ").append(server).append('\n');
    md.append("- Generated: ").append(at).append('\n');
    md.append("- Victim tenant: `").append(r.victim()).append("`, seeded with: ");
    md.append(String.join("; ", r.seeded())).append('\n');
    md.append("- Attacker tenant: `")
        .append(r.attacker())
        .append("` (tenant_admin, workflow_author, workflow_reviewer, operator)\n");
    md.append("- Result: **")
        .append(leaks.isEmpty() ? "PASS" : "FAIL")
        .append("**, ")
        .append(leaks.size())
        .append(" leak(s)\n\n");
    md.append("## Summary\n\n| measure | count |\n|---|---|\n");
    row(md, "governed routes tried", r.operations().size());
    row(
        md,
        "attempts as the attacker (by the victim's ids, then naming the victim)",
        r.attempts().size());
    row(md, "cross-tenant attempts (naming the victim or its resources)", cross);
    row(md, "twin requests at resources that exist nowhere (existence check)", twins);
    row(md, "denials (403, a policy decision)", statuses.getOrDefault(403, 0));
    row(md, "not found (404)", statuses.getOrDefault(404, 0));
    row(md, "answered for the attacker's own data (2xx)", count(statuses, 200, 299));
    row(
        md,
        "rejected as invalid (4xx other than 403/404)",
        count(statuses, 400, 499) - statuses.getOrDefault(403, 0) - statuses.getOrDefault(404, 0));
    row(md, "attempts without a token (401 expected)", r.anonymous().size());
    row(md, "leaks", leaks.size());
    md.append("\nA leak is: a response carrying any of the victim's data (markers planted in its")
        .append(" members, run inputs and webhook), an attempt naming the victim that was not")
        .append(" refused, a refusal that differs from the one for a missing resource (which")
        .append(
            " reveals existence), a server error, or an operation answering without a token.\n\n");
    md.append("## Leaks\n\n");
    if (leaks.isEmpty()) {
      md.append("None.\n\n");
    } else {
      leaks.forEach(l -> md.append("- ").append(cell(l)).append('\n'));
      md.append('\n');
    }
    md.append("## Attempts\n\n| route | naming the victim | status | code | reasons | verdict |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Attempt a : r.attempts()) {
      md.append("| `")
          .append(a.probe().op().label())
          .append("` | ")
          .append(a.probe().naming() ? "yes" : "no")
          .append(" | ")
          .append(a.answer().status())
          .append(" | ")
          .append(a.answer().code().isEmpty() ? "" : "`" + a.answer().code() + "`")
          .append(" | ")
          .append(String.join(", ", a.answer().reasons()))
          .append(" | ")
          .append(a.leaks().isEmpty() ? "ok" : "**LEAK**")
          .append(" |\n");
    }
    return md.toString();
  }

  private static long count(Map<Integer, Integer> statuses, int from, int to) {
    return statuses.entrySet().stream()
        .filter(e -> e.getKey() >= from && e.getKey() <= to)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static void row(StringBuilder md, String what, long n) {
    md.append("| ").append(what).append(" | ").append(n).append(" |\n");
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
