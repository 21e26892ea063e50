package io.maestro.cli.demo;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import io.maestro.core.TenantId;
import io.maestro.server.demo.DemoTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maestro demo}: a demo tenant on a dev-mode server, with its sample runs and a verified
 * receipt export (see {@link DemoTenant}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Create a demo tenant on a dev-mode server: profile partner-demo, two sample workflows"
            + " published and run (one completes, one awaits approval, one start is refused by"
            + " the policy with its reasons), and the tenant's receipt export verified against"
            + " the server's keys. Every step is an API call, decided and receipted.",
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
      r = demo.create(id);
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
