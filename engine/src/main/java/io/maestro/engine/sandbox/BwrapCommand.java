package io.maestro.engine.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line that starts one sandbox:
 *
 * <pre>
 * bash -c '[AppArmor exec PROFILE;] exec "$@" 10&lt;seccomp 11&gt;status 12&lt;env' \
 *   [setpriv --reuid U --regid G --clear-groups]   (only when the server is root)
 *   bwrap --unshare-all --clearenv --args 12 ... --seccomp 10 --json-status-fd 11 \
 *   -- /usr/bin/prlimit --as .. --cpu .. --nproc .. --nofile .. --fsize .. --core 0 -- COMMAND
 * </pre>
 *
 * No value is ever parsed by a shell: the command travels as separate arguments, and the
 * environment as a NUL-separated {@code --setenv} list in a file (descriptor 12) rather than on the
 * command line, where every local user could read it in {@code /proc/PID/cmdline}. The command's
 * arguments are visible there, so secrets belong in the environment or the workspace.
 */
final class BwrapCommand {
  /**
   * Descriptor numbers bubblewrap reads the seccomp program from, writes its status to, and reads
   * the environment from.
   */
  static final int SECCOMP_FD = 10;

  static final int STATUS_FD = 11;
  static final int ENV_FD = 12;

  /**
   * Bash opens the three files, then becomes the next program with them inherited. With an AppArmor
   * profile (argument 4, else empty) it first asks the kernel to confine what it executes next; if
   * it cannot, the run fails rather than going unconfined.
   */
  private static final String LAUNCHER =
      "seccomp=$1; status=$2; env=$3; profile=$4; shift 4; "
          + "if [ -n \"$profile\" ]; then "
          + "{ echo \"exec $profile\" >/proc/self/attr/apparmor/exec"
          + " || echo \"exec $profile\" >/proc/self/attr/exec; } 2>/dev/null"
          + " || { echo \"cannot switch to AppArmor profile $profile\" >&2; exit 1; }; fi; "
          + "exec \"$@\" "
          + SECCOMP_FD
          + "<\"$seccomp\" "
          + STATUS_FD
          + ">\"$status\" "
          + ENV_FD
          + "<\"$env\"";

  /** System directories bound read-only (or recreated as the host's symlinks, merged /usr). */
  private static final List<String> SYSTEM_DIRS =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  /**
   * The few host {@code /etc} entries programs need to start (dynamic loader cache, Debian's
   * alternatives symlinks, the time zone). Everything else of the host's {@code /etc} stays out.
   */
  static final List<String> HOST_ETC =
      List.of(
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/etc/ld.so.conf.d",
          "/etc/alternatives",
          "/etc/localtime");

  /** Added only with {@link Network#HOST}: name resolution and CA certificates. */
  static final List<String> HOST_ETC_NETWORK =
      List.of(
          "/etc/resolv.conf",
          "/etc/gai.conf",
          "/etc/host.conf",
          "/etc/ssl",
          "/etc/ca-certificates",
          "/etc/ca-certificates.conf");

  /** Files written by the sandbox itself into its state directory and bound into /etc. */
  static final List<String> GENERATED_ETC = List.of("passwd", "group", "hosts", "nsswitch.conf");

  private final Path bash;
  private final Path bwrap;
  private final Path prlimit;
  private final List<String> dropPrivileges;
  private final List<String> staticMounts;
  private final List<String> extraMounts;
  private final String appArmorProfile;

  private BwrapCommand(
      Path bash,
      Path bwrap,
      Path prlimit,
      List<String> dropPrivileges,
      List<String> staticMounts,
      List<String> extraMounts,
      String appArmorProfile) {
    this.bash = bash;
    this.bwrap = bwrap;
    this.prlimit = prlimit;
    this.dropPrivileges = dropPrivileges;
    this.staticMounts = staticMounts;
    this.extraMounts = extraMounts;
    this.appArmorProfile = appArmorProfile;
  }

  /**
   * Prepares everything that does not change per request: the system binds as the host lays them
   * out and the generated {@code /etc} files under {@code etcDir}.
   *
   * @param appArmorProfile the profile to confine the sandbox with; empty: none
   */
  static BwrapCommand prepare(
      SandboxConfig config,
      Path bwrap,
      Identity identity,
      Path etcDir,
      java.util.Optional<String> appArmorProfile)
      throws IOException {
    List<String> mounts = new ArrayList<>();
    for (String dir : SYSTEM_DIRS) {
      Path p = Path.of(dir);
      if (Files.isSymbolicLink(p)) {
        mounts.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), dir));
      } else if (Files.isDirectory(p)) {
        mounts.addAll(List.of("--ro-bind", dir, dir));
      }
    }
    for (String file : HOST_ETC) {
      mounts.addAll(List.of("--ro-bind-try", file, file));
    }
    for (String name : GENERATED_ETC) {
      mounts.addAll(List.of("--ro-bind", etcDir.resolve(name).toString(), "/etc/" + name));
    }
    // Bound after /tmp's tmpfs (see argv), which would otherwise hide paths under /tmp.
    List<String> extra = new ArrayList<>();
    for (Path path : config.readOnlyPaths()) {
      String p = path.toAbsolutePath().normalize().toString();
      extra.addAll(List.of("--ro-bind-try", p, p));
    }
    writeEtc(etcDir, identity);
    List<String> drop =
        identity.root()
            ? List.of(
                config.setpriv().toString(),
                "--reuid=" + identity.uid(),
                "--regid=" + identity.gid(),
                "--clear-groups",
                "--")
            : List.of();
    return new BwrapCommand(
        config.bash(),
        bwrap,
        config.prlimit(),
        drop,
        List.copyOf(mounts),
        List.copyOf(extra),
        appArmorProfile.orElse(""));
  }

  List<String> argv(
      SandboxRequest request, Path workspace, Path seccomp, Path status, Path envFile) {
    SandboxLimits limits = request.limits();
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of(bash.toString(), "-c", LAUNCHER, "maestro-sandbox"));
    argv.add(seccomp.toString());
    argv.add(status.toString());
    argv.add(envFile.toString());
    argv.add(appArmorProfile);
    argv.addAll(dropPrivileges);
    argv.add(bwrap.toString());
    argv.add("--unshare-all");
    if (request.network() == Network.HOST) {
      argv.add("--share-net");
    }
    // Explicit so that --disable-userns is accepted; it stops nested user namespaces in the kernel
    // (max_user_namespaces = 0), a second wall behind the seccomp filter.
    argv.addAll(List.of("--unshare-user", "--disable-userns"));
    argv.addAll(List.of("--die-with-parent", "--new-session", "--hostname", "maestro-sandbox"));
    // Order matters: bubblewrap applies these as it parses, so clear first, then set.
    argv.addAll(List.of("--clearenv", "--args", Integer.toString(ENV_FD)));
    argv.addAll(staticMounts);
    if (request.network() == Network.HOST) {
      for (String file : HOST_ETC_NETWORK) {
        argv.addAll(List.of("--ro-bind-try", file, file));
      }
    }
    argv.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    argv.addAll(List.of("--size", Long.toString(limits.tmpBytes()), "--tmpfs", "/tmp"));
    argv.addAll(extraMounts);
    argv.addAll(List.of("--ro-bind", workspace.toString(), "/workspace", "--chdir", "/workspace"));
    // Bubblewrap's root and /dev are writable tmpfs without a size: freeze them once all mounts
    // are in place, so /tmp is the only writable place (device nodes stay usable).
    argv.addAll(List.of("--remount-ro", "/dev", "--remount-ro", "/"));
    argv.addAll(List.of("--seccomp", Integer.toString(SECCOMP_FD)));
    argv.addAll(List.of("--json-status-fd", Integer.toString(STATUS_FD)));
    argv.add("--");
    argv.add(prlimit.toString());
    argv.add("--as=" + limits.addressSpaceBytes());
    argv.add("--cpu=" + limits.cpuSeconds() + ":" + (limits.cpuSeconds() + 1L));
    argv.add("--nproc=" + limits.maxProcesses());
    argv.add("--nofile=" + limits.openFiles());
    argv.add("--fsize=" + limits.fileSizeBytes());
    argv.add("--core=0");
    argv.add("--");
    argv.addAll(request.command());
    return argv;
  }

  /**
   * The environment as bubblewrap {@code --args} content: {@code --setenv NAME VALUE},
   * NUL-separated.
   */
  static byte[] envArgs(Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : env.entrySet()) {
      for (String part : List.of("--setenv", e.getKey(), e.getValue())) {
        out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
        out.write(0);
      }
    }
    return out.toByteArray();
  }

  private static void writeEtc(Path etcDir, Identity id) throws IOException {
    Files.createDirectories(etcDir);
    StringBuilder passwd = new StringBuilder("root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n");
    StringBuilder group = new StringBuilder("root:x:0:\n");
    passwd.append("sandbox:x:").append(id.uid()).append(':').append(id.gid());
    passwd.append(":sandbox:/tmp:/bin/sh\n");
    group.append("sandbox:x:").append(id.gid()).append(":\n");
    if (id.uid() != 65534) {
      passwd.append("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    }
    if (id.gid() != 65534) {
      group.append("nogroup:x:65534:\n");
    }
    Files.writeString(etcDir.resolve("passwd"), passwd);
    Files.writeString(etcDir.resolve("group"), group);
    Files.writeString(
        etcDir.resolve("hosts"),
        "127.0.0.1 localhost maestro-sandbox\n::1 localhost ip6-localhost ip6-loopback\n");
    Files.writeString(
        etcDir.resolve("nsswitch.conf"),
        "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n");
  }

  /**
   * Who the sandbox runs as on the host.
   *
   * @param root whether the server is root (and so drops to {@code uid}/{@code gid} first)
   */
  record Identity(boolean root, long uid, long gid) {

    /** Reads the server's effective ids from {@code /proc/self/status}. */
    static Identity of(SandboxConfig config) throws IOException {
      long euid = -1;
      long egid = -1;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          euid = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        } else if (line.startsWith("Gid:")) {
          egid = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
      if (euid < 0 || egid < 0) {
        throw new IOException("cannot read the server's user from /proc/self/status");
      }
      return euid == 0
          ? new Identity(true, config.sandboxUid(), config.sandboxGid())
          : new Identity(false, euid, egid);
    }
  }
}
