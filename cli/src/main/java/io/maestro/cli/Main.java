package io.maestro.cli;

import io.maestro.cli.backup.BackupCommand;
import io.maestro.cli.backup.DrillCommand;
import io.maestro.cli.backup.RestoreCommand;
import io.maestro.cli.budget.BudgetCommand;
import io.maestro.cli.completion.CompletionCommand;
import io.maestro.cli.doctor.DoctorCommand;
import io.maestro.cli.governance.BreakGlassCommand;
import io.maestro.cli.governance.FreezeCommand;
import io.maestro.cli.governance.IncidentsCommand;
import io.maestro.cli.governance.KillCommand;
import io.maestro.cli.governance.RampCommand;
import io.maestro.cli.governance.SloCommand;
import io.maestro.cli.governance.ThrottlesCommand;
import io.maestro.cli.governance.UnkillCommand;
import io.maestro.cli.login.LoginCommand;
import io.maestro.cli.plan.PlanCommand;
import io.maestro.cli.policy.PolicyCommand;
import io.maestro.cli.purge.PurgeCommand;
import io.maestro.cli.receipts.KeysCommand;
import io.maestro.cli.receipts.ReceiptsCommand;
import io.maestro.cli.release.ReleaseCommand;
import io.maestro.cli.retention.RetentionCommand;
import io.maestro.cli.run.RunCommand;
import io.maestro.cli.run.StatusCommand;
import io.maestro.cli.runs.RunsCommand;
import io.maestro.cli.schedule.ScheduleCommand;
import io.maestro.cli.server.ServerCommand;
import io.maestro.cli.sku.SkuCommand;
import io.maestro.cli.tenants.TenantsCommand;
import io.maestro.cli.token.TokenCommand;
import io.maestro.cli.usage.UsageCommand;
import io.maestro.cli.verify.VerifyCommand;
import io.maestro.cli.whoami.WhoamiCommand;
import io.maestro.cli.workflows.WorkflowsCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code maestro} command. Subcommands live in the package named after them and are listed
 * here. Errors reach the user as one line on stderr and a non-zero exit code: 2 for a usage error,
 * 1 for anything else; never a stack trace (set {@code MAESTRO_DEBUG=1} to see one).
 */
@Command(
    name = "maestro",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Maestro Conductor: governed workflows — authorized, recorded, metered, provable.",
    subcommands = {
      ServerCommand.class,
      VerifyCommand.class,
      io.maestro.cli.disclose.DiscloseCommand.class,
      io.maestro.cli.residency.ResidencyCommand.class,
      io.maestro.cli.report.ReportCommand.class,
      io.maestro.cli.compliance.ComplianceCommand.class,
      PolicyCommand.class,
      RunCommand.class,
      StatusCommand.class,
      LoginCommand.class,
      TokenCommand.class,
      WhoamiCommand.class,
      UsageCommand.class,
      PlanCommand.class,
      BudgetCommand.class,
      io.maestro.cli.webhooks.WebhooksCommand.class,
      RunsCommand.class,
      WorkflowsCommand.class,
      io.maestro.cli.packages.PackageCommand.class,
      ReceiptsCommand.class,
      KeysCommand.class,
      TenantsCommand.class,
      io.maestro.cli.brand.BrandCommand.class,
      RampCommand.class,
      IncidentsCommand.class,
      ThrottlesCommand.class,
      SloCommand.class,
      KillCommand.class,
      UnkillCommand.class,
      FreezeCommand.class,
      ScheduleCommand.class,
      BreakGlassCommand.class,
      PurgeCommand.class,
      RetentionCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      DrillCommand.class,
      io.maestro.cli.support.SupportCommand.class,
      DoctorCommand.class,
      ReleaseCommand.class,
      io.maestro.cli.validate.ValidateCommand.class,
      io.maestro.cli.demo.DemoCommand.class,
      SkuCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro server                                   # dev mode on http://localhost:8080",
      "  maestro login --dev --tenant acme --role tenant_admin --create",
      "  maestro run examples/hello.yaml --follow",
      "  maestro runs list --status FAILED",
      "  maestro doctor",
      "",
      "Exit status: 0 success, 1 failure (refused, not found, run failed, check failed),"
          + " 2 usage error. See docs/cli.md."
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests and {@link #main}). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::onError);
    cli.setParameterExceptionHandler(Main::onUsageError);
    // One writer pair for every subcommand, flushed at the end: output printed without a line
    // break (a YAML document, a completion script) must not be lost at exit.
    PrintWriter out =
        new PrintWriter(
            new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8),
            true);
    PrintWriter err =
        new PrintWriter(
            new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8),
            true);
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int onError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof UserError ue) {
      err.println("maestro: " + ue.getMessage());
      return ue.exitCode();
    }
    err.println("maestro: " + oneLine(e));
    if (System.getenv("MAESTRO_DEBUG") != null) {
      e.printStackTrace(err);
    }
    return 1;
  }

  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("maestro: " + usageMessage(e));
    err.println(
        "Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
    return 2;
  }

  /**
   * A usage error in one line; for an unknown command or option, with the closest known names
   * ("unknown command 'stauts'; did you mean `status`?").
   */
  static String usageMessage(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return oneLine(e);
    }
    String arg = u.getUnmatched().getFirst();
    boolean option = arg.startsWith("-");
    boolean hasSubcommands = !e.getCommandLine().getSubcommands().isEmpty();
    String what =
        option ? "unknown option" : hasSubcommands ? "unknown command" : "unexpected argument";
    if (option && arg.contains("=")) {
      arg = arg.substring(0, arg.indexOf('='));
    }
    List<String> suggestions =
        u.getSuggestions().stream().filter(s -> s.startsWith("-") == option).limit(1).toList();
    StringBuilder sb = new StringBuilder(what).append(" '").append(arg).append('\'');
    if (!suggestions.isEmpty()) {
      sb.append("; did you mean ")
          .append(String.join(" or ", suggestions.stream().map(s -> "`" + s + "`").toList()))
          .append('?');
    }
    return sb.toString();
  }

  static String oneLine(Throwable e) {
    String msg = e.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = e.getClass().getSimpleName();
    }
    return msg.lines().findFirst().orElse(msg);
  }

  /** {@code maestro --version}: the version and the build commit. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      String commit = p.getProperty("commit", "");
      if (commit.isBlank() || commit.startsWith("${")) {
        commit = "unknown";
      }
      return new String[] {
        "maestro " + p.getProperty("version", "dev") + " (commit " + commit + ")",
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "") + ")"
      };
    }
  }
}
