import com.sun.jdi.Bootstrap;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.MethodEntryRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the classes on the path from {@code POST /api/runs} to a worker's recorded outcome, by
 * watching a real server run it: {@code WalkTarget} runs under the JDK's debug agent, and this
 * program (JDI) records every method of an {@code io.maestro} class entered while the measured
 * request and its run take place. Kept are the threads of the path — the request's thread (the one
 * that entered {@code ApiRouter}), the worker pool's dispatcher and the step's worker thread —
 * and left out the rest (the target's own main thread, the sequencer, checkpointer, heartbeats and
 * other background work). A class counts once, by its top-level name (nested records, lambdas and
 * inner classes count as the file they are written in). The Rego evaluator behind {@code
 * DecisionPoint.decide} ({@code io.maestro.rego}) is left out: it is the policy engine, not a
 * seam.
 *
 * <p>Run: {@code perf/bin/class-walk [output-file]} (see perf/README.md). {@code
 * -Dwalk.target=FILE} runs another target program (e.g. {@code WalkTargetOld01.java} for an older
 * tree's API); {@code -Dwalk.leftOut=true} appends, for reference, the classes of each thread left
 * out (not counted); {@code -Dwalk.methods=true} appends the methods entered on the path, by class.
 */
public final class ClassWalk {
  public static void main(String[] args) throws Exception {
    String classpath = args[0];
    Path out = args.length > 1 ? Path.of(args[1]) : null;
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process target =
        new ProcessBuilder(
                java,
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port,
                "-cp",
                classpath,
                System.getProperty("walk.target", "perf/walk/WalkTarget.java"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader said =
        new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
    Writer tell = new OutputStreamWriter(target.getOutputStream(), StandardCharsets.UTF_8);
    expect(said, "READY");

    VirtualMachine vm = attach(port);
    MethodEntryRequest entries = vm.eventRequestManager().createMethodEntryRequest();
    entries.addClassFilter("io.maestro.*");
    entries.addClassExclusionFilter("io.maestro.rego.*");
    // The event's thread waits until it is recorded, so its name can still be read.
    entries.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    Map<ThreadReference, String> names = new ConcurrentHashMap<>();
    Map<String, Set<String>> byThread = new ConcurrentHashMap<>();
    Map<String, Set<String>> methodsByThread = new ConcurrentHashMap<>();
    Thread pump =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (true) {
                      EventSet set = vm.eventQueue().remove();
                      for (Event e : set) {
                        if (e instanceof MethodEntryEvent m) {
                          String thread = names.computeIfAbsent(m.thread(), ThreadReference::name);
                          byThread
                              .computeIfAbsent(thread, t -> ConcurrentHashMap.newKeySet())
                              .add(topLevel(m.method().declaringType().name()));
                          methodsByThread
                              .computeIfAbsent(thread, t -> ConcurrentHashMap.newKeySet())
                              .add(m.method().declaringType().name() + "." + m.method().name());
                        } else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
                          return;
                        }
                      }
                      set.resume();
                    }
                  } catch (InterruptedException | com.sun.jdi.VMDisconnectedException e) {
                    // done
                  }
                });

    entries.enable();
    tell.write("go\n");
    tell.flush();
    String done = expect(said, "DONE");
    Thread.sleep(500); // the worker's last frames after its outcome committed
    entries.disable();
    Thread.sleep(200);
    String report = report(done, byThread, methodsByThread);
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report);
    }
    vm.dispose();
    tell.write("stop\n");
    tell.flush();
    target.waitFor();
    pump.interrupt();
  }

  private static VirtualMachine attach(int port) throws Exception {
    AttachingConnector socket =
        Bootstrap.virtualMachineManager().attachingConnectors().stream()
            .filter(c -> c.name().equals("com.sun.jdi.SocketAttach"))
            .findFirst()
            .orElseThrow();
    Map<String, Connector.Argument> a = socket.defaultArguments();
    a.get("hostname").setValue("127.0.0.1");
    a.get("port").setValue(Integer.toString(port));
    return socket.attach(a);
  }

  private static String expect(BufferedReader said, String prefix) throws Exception {
    String line;
    while ((line = said.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException("the target ended before it said " + prefix);
  }

  /** {@code a.b.C$Inner}, {@code a.b.C$$Lambda/0x…}: both are read in {@code a/b/C.java}. */
  static String topLevel(String name) {
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }

  private static String report(
      String done, Map<String, Set<String>> byThread, Map<String, Set<String>> methodsByThread) {
    Set<String> request = new TreeSet<>();
    Set<String> workers = new TreeSet<>();
    List<String> left = new ArrayList<>();
    Set<String> kept = new TreeSet<>();
    for (var e : new TreeMap<>(byThread).entrySet()) {
      String thread = e.getKey();
      // The target's main thread can enter ApiRouter too (MaestroServer.service looks the engine
      // up through it while the target waits for the run); it is the harness, not the path.
      if (!thread.equals("main") && e.getValue().contains("io.maestro.server.http.ApiRouter")) {
        request.addAll(e.getValue());
        kept.add(thread);
      } else if (thread.startsWith("maestro-step-") || thread.startsWith("maestro-dispatch-")) {
        workers.addAll(e.getValue());
        kept.add(thread);
      } else {
        left.add(thread + " (" + e.getValue().size() + ")");
      }
    }
    Set<String> all = new TreeSet<>(request);
    all.addAll(workers);
    Map<String, Integer> byModule = new TreeMap<>();
    all.forEach(c -> byModule.merge(module(c), 1, Integer::sum));
    StringBuilder b = new StringBuilder();
    b.append("# Class walk: POST /api/runs -> the worker's recorded outcome\n\n");
    b.append(done).append('\n');
    b.append("classes: ")
        .append(all.size())
        .append(" (request thread ")
        .append(request.size())
        .append(", dispatcher and worker threads ")
        .append(workers.size())
        .append(")\n");
    b.append("by module: ").append(byModule).append('\n');
    b.append("threads left out: ").append(left).append("\n\n");
    for (String c : all) {
      String where =
          request.contains(c) && workers.contains(c)
              ? "both"
              : request.contains(c) ? "request" : "worker";
      b.append(c).append("  ").append(where).append('\n');
    }
    if (Boolean.getBoolean("walk.methods")) {
      // Why each class is on the path: the methods the kept threads entered, by class.
      Map<String, Set<String>> methods = new TreeMap<>();
      for (String t : kept) {
        for (String m : methodsByThread.getOrDefault(t, Set.of())) {
          methods
              .computeIfAbsent(topLevel(m.substring(0, m.lastIndexOf('.'))), c -> new TreeSet<>())
              .add(m.substring(m.lastIndexOf('.', m.lastIndexOf('.') - 1) + 1));
        }
      }
      b.append("\nmethods entered:\n");
      methods.forEach((c, ms) -> b.append(c).append("\n  ").append(ms).append('\n'));
    }
    if (Boolean.getBoolean("walk.leftOut")) {
      b.append("\nthreads kept:");
      kept.forEach(
          t -> b.append(" '").append(t).append("' (").append(byThread.get(t).size()).append(')'));
      b.append('\n');
      for (var e : new TreeMap<>(byThread).entrySet()) {
        if (!kept.contains(e.getKey())) {
          b.append("\nleft out: ").append(e.getKey()).append('\n');
          new TreeSet<>(e.getValue()).forEach(c -> b.append("  ").append(c).append('\n'));
        }
      }
    }
    return b.toString();
  }

  private static String module(String className) {
    String[] parts = className.split("\\.");
    return parts.length > 2 ? parts[2] : className;
  }
}
