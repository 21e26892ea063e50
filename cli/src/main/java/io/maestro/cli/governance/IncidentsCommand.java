package io.maestro.cli.governance;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code maestro incidents …}: the incidents the rollback controller opened, their timelines, and
 * closing one. Without a subcommand it lists them.
 */
@Command(
    name = "incidents",
    mixinStandardHelpOptions = true,
    description = "Incidents opened when a canary breached its error budget, with their timelines.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro incidents",
      "  maestro incidents list --status open",
      "  maestro incidents show inc_…",
      "  maestro incidents close inc_… --comment \"fixed in 2.1\""
    },
    subcommands = {
      IncidentsCommand.ListIncidents.class,
      IncidentsCommand.Show.class,
      IncidentsCommand.Close.class
    })
public final class IncidentsCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Output output;

  @Override
  public Integer call() {
    return ListIncidents.list(api, output, spec, null, null);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro incidents list --status open"},
      description = "List incidents, newest first.")
  static final class ListIncidents implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Option(names = "--status", paramLabel = "STATUS", description = "open or closed.")
    String status;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Override
    public Integer call() {
      return list(api, output, spec, status, tenant);
    }

    static int list(
        ApiOptions api,
        Output output,
        CommandLine.Model.CommandSpec spec,
        String status,
        String tenant) {
      String path = "/api/incidents" + (status == null ? "" : "?status=" + enc(status));
      var r = api.connect().call("GET", Tenants.query(path, tenant), null, "cannot list incidents");
      output.list(
          spec.commandLine().getOut(),
          r.path("items"),
          List.of(
              Column.of("id", "id"),
              new Column("subject", IncidentsCommand::subject),
              Column.of("status", "status"),
              Column.of("opened", "opened_at"),
              Column.of("closed by", "closed_by")));
      return 0;
    }
  }

  static String subject(JsonNode i) {
    return i.path("workflow").asText() + "@" + i.path("version").asText();
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro incidents show inc_…", "  maestro incidents show inc_… --output json"},
      description = "One incident and its timeline; each step names its receipt.")
  static final class Show extends ShowResource {
    Show() {
      super("/api/incidents", "cannot show incident {id}", IncidentsCommand::print);
    }
  }

  static void print(PrintWriter out, JsonNode r) {
    out.println(
        r.path("id").asText() + "  " + r.path("status").asText() + "  " + r.path("title").asText());
    for (JsonNode e : r.path("timeline")) {
      out.println(
          "  "
              + e.path("at").asText()
              + "  "
              + String.format("%-19s", e.path("kind").asText())
              + " "
              + e.path("detail")
              + "  ("
              + e.path("actor").asText()
              + ", receipt "
              + e.path("receipt_id").asText()
              + ")");
    }
  }

  @Command(
      name = "close",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro incidents close inc_… --comment \"card service restored\""},
      description = "Close an open incident.")
  static final class Close extends OnResource {
    @Option(names = "--comment", paramLabel = "TEXT", description = "Why it is closed.")
    String comment;

    Close() {
      super(
          "POST",
          "/api/incidents",
          "/close",
          null,
          "cannot close incident {id}",
          IncidentsCommand::print);
    }

    @Override
    protected Object body() {
      return comment == null ? Map.of() : Map.of("comment", comment);
    }
  }
}
