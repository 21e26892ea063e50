package io.maestro.cli.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import io.maestro.cli.client.Credentials;
import io.maestro.cli.login.AuthClient;
import io.maestro.core.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maestro usage}: the signed-in tenant's usage and cost in a window (default: the last 30
 * days), from {@code GET /api/tenants/{id}/usage}, as a table, JSON or CSV.
 */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro usage                                   # the last 30 days, totals",
      "  maestro usage --by workflow,env --interval day  # broken down per workflow, env and day",
      "  maestro usage --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z --format csv"
    },
    description = "Show your tenant's usage and cost: runs, steps, approvals, receipts, storage.")
public final class UsageCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "Window start, RFC 3339 (default: 30 days before --to).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "Window end, exclusive, RFC 3339 (default: the next minute).")
  String to;

  @Option(
      names = "--by",
      paramLabel = "DIMS",
      description = "Break down by workflow and/or env, e.g. --by workflow,env.")
  String by;

  @Option(
      names = "--interval",
      paramLabel = "day",
      description = "day: one breakdown line per UTC day.")
  String interval;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json or csv.")
  String format;

  @Option(
      names = "--tenant",
      paramLabel = "ID",
      description = "Tenant (default: the one you are signed in to).")
  String tenant;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      description = "Token to use (default: $MAESTRO_TOKEN, else the one maestro login saved).")
  String token;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("table") && !format.equals("json") && !format.equals("csv")) {
      throw new UserError("--format must be table, json or csv, not '" + format + "'");
    }
    String bearer =
        Credentials.bearer(Optional.ofNullable(token), ClientOptions.home())
            .orElseThrow(
                () ->
                    new UserError(
                        "not signed in: run `maestro login --dev --tenant T --role R` or pass --token"));
    AuthClient api = new AuthClient(client.serverUrl());
    String id = tenant;
    if (id == null) {
      id = api.call("GET", "/api/whoami", null, Optional.of(bearer)).path("tenant").asText("");
      if (id.isEmpty()) {
        throw new UserError("you are not signed in to a tenant: pass --tenant");
      }
    }
    if (to != null && from == null) {
      throw new UserError("--to needs --from");
    }
    Instant nextMinute =
        Clock.systemUTC().instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    String toParam = to != null ? to : nextMinute.toString();
    String fromParam = from != null ? from : nextMinute.minus(Duration.ofDays(30)).toString();
    StringBuilder path =
        new StringBuilder("/api/tenants/")
            .append(enc(id))
            .append("/usage?from=")
            .append(enc(fromParam))
            .append("&to=")
            .append(enc(toParam));
    if (by != null) {
      path.append("&groupBy=").append(enc(by));
    }
    if (interval != null) {
      path.append("&interval=").append(enc(interval));
    }
    JsonNode usage = api.call("GET", path.toString(), null, Optional.of(bearer));
    var out = spec.commandLine().getOut();
    switch (format) {
      case "json" -> out.println(Json.PRETTY.writeValueAsString(usage));
      case "csv" -> out.print(UsageTables.csv(usage));
      default -> out.print(UsageTables.table(usage));
    }
    out.flush();
    return 0;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
