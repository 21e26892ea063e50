package io.maestro.cli.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro webhooks list|add|delete|rotate|deliveries|replay}: the tenant's billing webhook
 * endpoints over {@code /api/billing/webhooks}. A secret is printed only by {@code add} and {@code
 * rotate}, the only answers that carry it.
 */
@Command(
    name = "webhooks",
    mixinStandardHelpOptions = true,
    subcommands = {
      WebhooksCommand.ListEndpoints.class,
      WebhooksCommand.Add.class,
      WebhooksCommand.Delete.class,
      WebhooksCommand.Rotate.class,
      WebhooksCommand.Deliveries.class,
      WebhooksCommand.Replay.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro webhooks add https://billing.example.com/hook --events run_started,step_executed",
      "  maestro webhooks list",
      "  maestro webhooks deliveries wh_… --status dead",
      "  maestro webhooks replay msg_…"
    },
    description = "Manage your tenant's billing webhooks: signed metered events sent to your URL.")
public final class WebhooksCommand implements Callable<Integer> {
  private static final String BASE = "/api/billing/webhooks";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options every webhooks subcommand takes. */
  static class Target {
    @Mixin ApiOptions options;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text (default) or json.")
    String output;

    ApiClient api() {
      if (!output.equals("text") && !output.equals("json")) {
        throw new UserError("--output must be text or json, not '" + output + "'");
      }
      return options.connect();
    }

    boolean json() {
      return output.equals("json");
    }
  }

  static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  static void printJson(PrintWriter out, JsonNode node) throws Exception {
    out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  static void printEndpoint(PrintWriter out, JsonNode e) {
    List<String> types = new ArrayList<>();
    e.path("eventTypes").forEach(t -> types.add(t.asText()));
    out.printf(
        "%s  %s  events: %s  created %s%s%n",
        e.path("id").asText(),
        e.path("url").asText(),
        String.join(",", types),
        e.path("createdAt").asText(),
        e.path("previousSecretValidUntil").isTextual()
            ? "  previous secret valid until " + e.path("previousSecretValidUntil").asText()
            : "");
  }

  /** Prints an endpoint with its secret: the one time the secret is shown. */
  static void printWithSecret(PrintWriter out, JsonNode e, Target t) throws Exception {
    if (t.json()) {
      printJson(out, e);
      return;
    }
    printEndpoint(out, e);
    out.println("secret: " + e.path("secret").asText());
    out.println("Store the secret now: it is not shown again.");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro webhooks list", "  maestro webhooks list --output json"},
      description = "List your tenant's webhook endpoints (without secrets).")
  static final class ListEndpoints implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Override
    public Integer call() throws Exception {
      JsonNode all = target.api().call("GET", BASE, null, "cannot list webhooks");
      PrintWriter out = spec.commandLine().getOut();
      if (target.json()) {
        printJson(out, all);
      } else if (all.path("webhooks").isEmpty()) {
        out.println("No webhooks.");
      } else {
        all.path("webhooks").forEach(e -> printEndpoint(out, e));
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro webhooks add https://billing.example.com/hook --events run_started"},
      description = {
        "Register an endpoint and print its signing secret (shown only now).",
        "Outside dev mode the URL must be https and resolve to public addresses."
      })
  static final class Add implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Parameters(index = "0", paramLabel = "URL", description = "Where to POST the events.")
    String url;

    @Option(
        names = "--events",
        paramLabel = "TYPES",
        split = ",",
        required = true,
        description =
            "Metered event types to send: run_started, step_executed, approval_decision,"
                + " receipt_emitted, evidence_exported, storage_bytes_written.")
    List<String> events;

    @Override
    public Integer call() throws Exception {
      ApiClient api = target.api();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("url", url);
      body.put("eventTypes", events.stream().map(String::strip).toList());
      JsonNode e = api.call("POST", BASE, body, "cannot add the webhook");
      PrintWriter out = spec.commandLine().getOut();
      printWithSecret(out, e, target);
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro webhooks delete wh_…"},
      description = "Delete an endpoint and its deliveries (their receipts stay).")
  static final class Delete implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Parameters(index = "0", paramLabel = "ID", description = "The endpoint (wh_…).")
    String id;

    @Override
    public Integer call() {
      target.api().call("DELETE", BASE + "/" + segment(id), null, "cannot delete the webhook");
      PrintWriter out = spec.commandLine().getOut();
      out.println("Deleted " + id + ".");
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro webhooks rotate wh_…"},
      description = {
        "Give an endpoint a new secret (shown only now).",
        "The old secret keeps signing beside it until previousSecretValidUntil."
      })
  static final class Rotate implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Parameters(index = "0", paramLabel = "ID", description = "The endpoint (wh_…).")
    String id;

    @Override
    public Integer call() throws Exception {
      JsonNode e =
          target
              .api()
              .call(
                  "POST",
                  BASE + "/" + segment(id) + "/rotate",
                  null,
                  "cannot rotate the webhook's secret");
      PrintWriter out = spec.commandLine().getOut();
      printWithSecret(out, e, target);
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "deliveries",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro webhooks deliveries wh_…",
        "  maestro webhooks deliveries wh_… --status dead --limit 20"
      },
      description = "An endpoint's deliveries, newest first, with every attempt.")
  static final class Deliveries implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Parameters(index = "0", paramLabel = "ID", description = "The endpoint (wh_…).")
    String id;

    @Option(
        names = "--status",
        paramLabel = "STATUS",
        description = "Only pending, delivered or dead deliveries.")
    String status;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "At most N deliveries (1-1000, default 100).")
    int limit;

    @Override
    public Integer call() throws Exception {
      String path = BASE + "/" + segment(id) + "/deliveries?limit=" + limit;
      if (status != null) {
        path += "&status=" + segment(status);
      }
      JsonNode all = target.api().call("GET", path, null, "cannot list deliveries");
      PrintWriter out = spec.commandLine().getOut();
      if (target.json()) {
        printJson(out, all);
      } else if (all.path("deliveries").isEmpty()) {
        out.println("No deliveries.");
      } else {
        for (JsonNode d : all.path("deliveries")) {
          out.printf(
              "%s  %s  %s  %d attempt(s)%s%n",
              d.path("id").asText(),
              d.path("eventType").asText(),
              d.path("status").asText(),
              d.path("attempts").size(),
              d.path("nextAttemptAt").isTextual()
                  ? "  next " + d.path("nextAttemptAt").asText()
                  : "");
          for (JsonNode a : d.path("attempts")) {
            out.printf(
                "    #%d %s %s%s %d ms  receipt %s%n",
                a.path("attempt").asInt(),
                a.path("at").asText(),
                a.path("outcome").asText(),
                a.path("httpStatus").isNumber() ? " HTTP " + a.path("httpStatus").asInt() : "",
                a.path("durationMs").asLong(),
                a.path("receiptId").asText());
          }
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro webhooks replay msg_…",
        "  maestro webhooks replay msg_… --webhook wh_…"
      },
      description = {
        "Send a delivery again (delivered or dead alike), now, with a fresh allowance of attempts.",
        "The endpoint is looked up among your webhooks' latest 1000 deliveries unless --webhook",
        "names it."
      })
  static final class Replay implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Parameters(index = "0", paramLabel = "DELIVERY", description = "The delivery (msg_…).")
    String delivery;

    @Option(
        names = "--webhook",
        paramLabel = "ID",
        description = "The delivery's endpoint (default: found by searching your endpoints).")
    String webhook;

    @Override
    public Integer call() throws Exception {
      ApiClient api = target.api();
      String endpoint = webhook != null ? webhook : endpointOf(api, delivery);
      JsonNode r =
          api.call(
              "POST",
              BASE + "/" + segment(endpoint) + "/deliveries/" + segment(delivery) + "/replay",
              null,
              "cannot replay the delivery");
      PrintWriter out = spec.commandLine().getOut();
      if (target.json()) {
        printJson(out, r);
      } else {
        out.println("Replaying " + delivery + " to " + endpoint + ": " + r.path("status").asText());
      }
      out.flush();
      return 0;
    }

    private static String endpointOf(ApiClient api, String delivery) {
      JsonNode all = api.call("GET", BASE, null, "cannot list webhooks");
      for (JsonNode e : all.path("webhooks")) {
        String id = e.path("id").asText();
        JsonNode ds =
            api.call(
                "GET",
                BASE + "/" + segment(id) + "/deliveries?limit=1000",
                null,
                "cannot list deliveries");
        for (JsonNode d : ds.path("deliveries")) {
          if (d.path("id").asText().equals(delivery)) {
            return id;
          }
        }
      }
      throw new UserError(
          "no delivery "
              + delivery
              + " among your webhooks' latest deliveries (webhook_delivery_not_found);"
              + " pass --webhook ID");
    }
  }
}
