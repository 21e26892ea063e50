package io.maestro.cli.demo;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import io.maestro.cli.client.Credentials;
import io.maestro.core.TenantId;
import io.maestro.server.demo.DemoTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maestro demo}: a demo tenant with its sample runs and a verified receipt export (see
 * {@link DemoTenant}). On a dev-mode server the dev issuer's platform administrator provisions it;
 * elsewhere the caller's token ({@code --token}, {@code MAESTRO_TOKEN} or {@code maestro login})
 * does, and the policy decides ({@code demo.create}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Create a demo tenant: profile partner-demo, two sample workflows published and run (one"
            + " completes, one awaits approval, one start is refused by the policy with its"
            + " reasons), and the tenant's receipt export verified against the server's keys."
            + " Every step is an API call, decided and receipted. A dev-mode server needs no"
            + " login; elsewhere sign in as an operator the policy allows demo.create"
            + " (conductor_admin).",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro demo", "  maestro demo --tenant demo-acme -o demo-acme"})
public final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(
      names = "--tenant",
      paramLabel = "ID",
      description = "The new tenant's id (default: demo- and six random hex digits).")
  String tenant;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "An operator's bearer token for a server not in dev mode (default: $MAESTRO_TOKEN,"
              + " else the one maestro login saved).")
  String token;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "A new directory for export.ndjson, keys.json and demo.json (default: none).")
  Path out;

  @Override
  public Integer call() throws Exception {
    String id = tenant == null ? DemoTenant.freshId() : tenant;
    if (!TenantId.isValid(id)) {
      throw new UserError("--tenant " + id + " is not a valid tenant id");
    }
    if (out != null && Files.exists(out)) {
      throw new UserError(out + " exists; name a new directory");
    }
    DemoTenant demo = new DemoTenant(client.serverUrl().toString());
    DemoTenant.Result r;
    try {
      // The dev issuer first, so a dev-mode user logged in to their own tenant still gets a demo;
      // any other server is asked with the caller's own token.
      Optional<String> operator =
          demo.devPlatformToken()
              .or(() -> Credentials.bearer(Optional.ofNullable(token), ClientOptions.home()));
      if (operator.isEmpty()) {
        throw new UserError(
            "demo: the server is not in dev mode; sign in as an operator allowed demo.create"
                + " (maestro login) or pass --token");
      }
      r = demo.create(id, operator);
    } catch (DemoTenant.DemoFailed | IllegalStateException e) {
      throw new UserError("demo: " + e.getMessage());
    }
    spec.commandLine().getOut().print(r.summary());
    if (out != null) {
      demo.write(r, out);
      spec.commandLine()
          .getOut()
          .println("wrote " + out.resolve("export.ndjson") + ", keys.json and demo.json");
    }
    spec.commandLine()
        .getOut()
        .println(
            "open "
                + client.serverUrl()
                + "/console and sign in to tenant "
                + id
                + " as workflow_reviewer to approve run "
                + r.pendingRun());
    return 0;
  }
}
