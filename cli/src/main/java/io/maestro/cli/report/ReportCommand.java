package io.maestro.cli.report;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro report …}: reports produced against a live server. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Reports produced against a live server.",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro report isolation --url http://127.0.0.1:8080 -o isolation.md"},
    subcommands = {ReportCommand.Isolation.class})
public final class ReportCommand extends CommandGroup {

  @Command(
      name = "isolation",
      mixinStandardHelpOptions = true,
      description =
          "Run the tenant isolation probes against a live server and write a Markdown report:"
              + " routes tried, cross-tenant attempts, denials, leaks. Exit status 1 on any leak.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro report isolation --url http://127.0.0.1:8080 -o isolation.md",
        "  maestro report isolation --victim-token $A --attacker-token $B --victim acme -o r.md"
      })
  static final class Isolation implements Callable<Integer> {
    static final List<String> ROLES =
        List.of("tenant_admin", "workflow_author", "workflow_reviewer", "operator");

    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(
        names = {"-o", "--out"},
        required = true,
        paramLabel = "FILE")
    Path out;

    @Option(
        names = "--victim",
        paramLabel = "TENANT",
        description = "The victim tenant (default: a fresh one from the dev token issuer).")
    String victim;

    @Option(
        names = "--victim-token",
        paramLabel = "TOKEN",
        description = "An admin token of the victim tenant.")
    String victimToken;

    @Option(names = "--attacker", paramLabel = "TENANT", description = "The attacker tenant.")
    String attacker;

    @Option(
        names = "--attacker-token",
        paramLabel = "TOKEN",
        description =
            "A token of the attacker tenant with tenant_admin, workflow_author,"
                + " workflow_reviewer and operator.")
    String attackerToken;

    @Override
    public Integer call() {
      IsolationRun run = new IsolationRun(client.serverUrl());
      if ((victimToken == null) != (attackerToken == null)) {
        throw new UserError("give both --victim-token and --attacker-token, or neither", 2);
      }
      if (victimToken == null) {
        // Two fresh tenants from the dev token issuer (a dev server on loopback only).
        String suffix = Long.toString(Instant.now().toEpochMilli(), 36);
        victim = "iso-victim-" + suffix;
        attacker = "iso-attacker-" + suffix;
        victimToken = devToken(run, victim);
        attackerToken = devToken(run, attacker);
      } else if (victim == null || attacker == null) {
        throw new UserError("with tokens, name both tenants: --victim and --attacker", 2);
      }
      IsolationRun.Result result = run.run(victim, victimToken, attacker, attackerToken);
      String md = IsolationMarkdown.render(client.serverUrl().toString(), Instant.now(), result);
      try {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".isolation", ".md");
        Files.writeString(tmp, md, StandardCharsets.UTF_8);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UserError("cannot write " + out + ": " + e.getMessage());
      }
      int leaks = result.leaks().size();
      spec.commandLine()
          .getOut()
          .println(
              (leaks == 0 ? "PASS" : "FAIL")
                  + ": "
                  + result.operations().size()
                  + " routes, "
                  + result.attempts().size()
                  + " attempts, "
                  + leaks
                  + " leak(s); report written to "
                  + out);
      return leaks == 0 ? 0 : 1;
    }

    private static String devToken(IsolationRun run, String tenant) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tenant", tenant);
      body.put("roles", ROLES);
      body.put("subject", "admin@" + tenant);
      body.put("create", true);
      IsolationRun.Reply r = run.send("POST", "/api/dev/token", null, body, Map.of());
      if (r.status() != 200 && r.status() != 201) {
        throw new UserError(
            "the dev token issuer refused ("
                + r.status()
                + "); against a server not in dev mode pass --victim-token and --attacker-token");
      }
      return r.json().path("token").asText();
    }
  }
}
