/**
 * The sandbox {@code core/exec} steps run in: bubblewrap ({@code bwrap}) namespaces, a seccomp
 * filter, rlimits, a memory watchdog and a wall-clock timeout, driven from Java.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * Sandbox sandbox = Sandbox.create(SandboxConfig.defaults());   // once, at startup
 * try (SandboxWorkspace ws = sandbox.newWorkspace()) {
 *   ws.write("inputs.json", json);
 *   SandboxResult r = sandbox.run(SandboxRequest.of(List.of("python3", "build.py"))
 *       .withWorkspace(ws.path())
 *       .withLimits(SandboxLimits.defaults().withTimeout(Duration.ofMinutes(2)))
 *       .withOutput((channel, line) -> stepLog.append(channel, line)));
 * }
 * }</pre>
 *
 * <h2>What is isolated</h2>
 *
 * <ul>
 *   <li><b>Users and privileges.</b> A server running as root first drops to an unprivileged host
 *       user ({@link io.maestro.engine.sandbox.SandboxConfig#sandboxUid()}, default 65534) with
 *       {@code setpriv}; bubblewrap then runs unprivileged in a new user namespace. The command has
 *       no capabilities, {@code no_new_privs} is set, and nested user namespaces are disabled.
 *   <li><b>File system.</b> A fresh root with {@code /usr} and the host's {@code /bin}, {@code
 *       /sbin}, {@code /lib*} layout read-only; an {@code /etc} with only the loader cache,
 *       Debian's alternatives, the time zone and generated {@code passwd}, {@code group}, {@code
 *       hosts} and {@code nsswitch.conf} (not the host's users, {@code shadow}, keys or service
 *       configuration); the workspace read-only at {@code /workspace}; a size-capped tmpfs at
 *       {@code /tmp}, the only writable place (the root and {@code /dev} are remounted read-only);
 *       a new {@code /proc} showing only the sandbox's processes; a minimal {@code /dev} ({@code
 *       null}, {@code zero}, {@code full}, {@code random}, {@code urandom}, {@code tty}, a private
 *       {@code pts}). There is no {@code /root}, {@code /home}, {@code /var}, {@code /sys}, no data
 *       directory and no server file. Only descriptors 0-2 are inherited; stdin is {@code
 *       /dev/null}.
 *   <li><b>Environment.</b> Exactly the request's allowlist plus {@code PWD}, nothing of the
 *       server. It reaches bubblewrap through a private file, not its command line, so other host
 *       users cannot read the values in {@code ps}; the command's arguments are visible there, so
 *       secrets belong in the environment or in workspace files.
 *   <li><b>Network.</b> By default ({@link io.maestro.engine.sandbox.Network#NONE}) a private
 *       network namespace with only its own loopback: neither the internet nor services on the
 *       host's {@code 127.0.0.1} (the database) can be reached.
 *   <li><b>Processes.</b> A private PID, IPC, UTS and cgroup namespace and a new session (no
 *       terminal injection). When the command's main process exits, or the sandbox kills it, the
 *       kernel kills every remaining process of the namespace, daemons and double forks included;
 *       {@link io.maestro.engine.sandbox.Sandbox#run} returns only after that. If the server dies,
 *       {@code --die-with-parent} takes the sandbox with it.
 *   <li><b>System calls.</b> A classic BPF filter generated in Java (see {@code SeccompFilter}),
 *       <b>default deny</b>: only the syscalls of an allowlist pass. The allowlist ({@code
 *       seccomp-allowlist.txt}) was measured by tracing bash, coreutils, sed, awk, grep, tar, gzip,
 *       jq, curl and python3 ({@code engine/seccomp/regenerate.sh}, documented in {@code
 *       docs/sandbox.md}); operators add calls with {@code sandbox.seccomp.allow}. A call outside
 *       the list gets {@code ENOSYS}, so libc and runtimes fall back as on an older kernel. A fixed
 *       set ({@code seccomp-refused.txt}: {@code ptrace}, {@code process_vm_*}, {@code mount} and
 *       the new mount API, {@code pivot_root}, {@code chroot}, {@code setns}, {@code unshare},
 *       {@code kexec_*}, module loading, {@code bpf}, {@code perf_event_open}, {@code userfaultfd},
 *       {@code io_uring_*}, the keyring, {@code open_by_handle_at}, clock setting, …) gets {@code
 *       EPERM} and can never be allowed; so does {@code clone} with a namespace flag. {@code
 *       clone3} gets {@code ENOSYS} so libc falls back to the inspectable {@code clone}. Calls from
 *       another ABI (32-bit x86, x32) kill the process. x86_64 and aarch64 are supported; on any
 *       other architecture the sandbox is unavailable.
 *   <li><b>AppArmor.</b> Where the kernel has AppArmor and the profile {@code
 *       sandbox.apparmorProfile} (default {@code maestro-sandbox}) is loaded, bubblewrap and the
 *       command run confined by it; otherwise {@link
 *       io.maestro.engine.sandbox.Sandbox#diagnostics()} says why not.
 * </ul>
 *
 * <h2>Limits and how they are reported</h2>
 *
 * See {@link io.maestro.engine.sandbox.SandboxLimits}. CPU time, address space, processes, open
 * files and file size are kernel rlimits set by {@code prlimit} inside the sandbox; a CPU or
 * file-size breach ends the process with {@code SIGXCPU}/{@code SIGXFSZ}, reported as {@code
 * CPU_LIMIT}/{@code FILE_SIZE_LIMIT}. Memory is enforced without cgroups: the sandbox samples the
 * tree's proportional set size and kills the tree above the limit ({@code MEMORY_LIMIT}), with the
 * per-process address-space rlimit as the kernel backstop (an allocation beyond it fails with
 * {@code ENOMEM} inside the program, reported as whatever exit the program then chooses). The
 * wall-clock timeout kills the tree ({@code TIMEOUT}); so does interrupting the calling thread
 * ({@code CANCELLED}). Output beyond the cap is drained and counted but dropped; the result says
 * {@code outputTruncated} and how many bytes were dropped.
 *
 * <h2>What is not isolated</h2>
 *
 * <ul>
 *   <li>The kernel is shared: a kernel exploit reachable through allowed syscalls escapes. The
 *       filter narrows, it does not close, that surface.
 *   <li>Everything under {@code /usr} (and {@link
 *       io.maestro.engine.sandbox.SandboxConfig#readOnlyPaths()}) is readable: do not keep secrets
 *       there.
 *   <li>{@link io.maestro.engine.sandbox.Network#HOST} shares the host's network entirely; the
 *       sandbox has no egress allowlist.
 *   <li>CPU share, disk I/O bandwidth and the tmpfs memory are not limited per sandbox (no
 *       cgroups); the {@code /tmp} tmpfs is counted outside {@code memoryBytes}. Memory is sampled,
 *       so a short spike between samples can pass unseen (the address-space rlimit still holds).
 *   <li>Without the server running as root, the sandbox runs as the server's own user (still
 *       without capabilities, in its own namespaces); sandboxes of one server then share that uid.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * <ul>
 *   <li>{@code sandbox_unavailable} (503): at startup, bubblewrap or a helper is missing, or the
 *       self-test sandbox fails. Never fall back to running commands unsandboxed.
 *   <li>{@code sandbox_setup_failed} (500): bubblewrap could not build this request's sandbox (for
 *       example the workspace is not reachable by the sandbox user); the command did not run. A
 *       platform error, not the workflow author's.
 *   <li>{@code sandbox_invalid_request} (422): an empty command, a bad environment name, a
 *       non-positive limit or a missing workspace.
 *   <li>Everything the command itself does wrong is a {@link
 *       io.maestro.engine.sandbox.SandboxResult}, never an exception: a non-zero exit, a signal or
 *       a limit breach, each with its {@link io.maestro.engine.sandbox.SandboxResult.Reason}.
 * </ul>
 */
package io.maestro.engine.sandbox;
