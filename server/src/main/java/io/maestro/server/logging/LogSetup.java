package io.maestro.server.logging;

import io.maestro.core.config.MaestroConfig;
import io.maestro.core.logging.LogFields;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes all logging (ours through java.util.logging; libraries through SLF4J's JUL binding) to
 * standard error: readable lines in dev mode, one JSON object per line in prod mode. Every line
 * carries the request id of the request being served, if any.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void configure(MaestroConfig.Log log) {
    configure(log.format(), log.level(), System.err);
  }

  public static void configure(MaestroConfig.LogFormat format, String level, PrintStream out) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Level jul = toJul(level);
    root.setLevel(jul);
    Handler handler =
        new StreamHandler(out, format == MaestroConfig.LogFormat.JSON ? new Json() : new Text()) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    handler.setLevel(jul);
    root.addHandler(handler);
    if (jul.intValue() >= Level.INFO.intValue()) {
      handler.setFilter(LogSetup::notChatter);
    }
  }

  private static final List<String> CHATTY_LIBRARIES =
      List.of("com.zaxxer.hikari.", "org.flywaydb.");

  /**
   * The pool and the migrator announce every start and stop at INFO; what an operator needs from
   * them (failures) comes at WARN and above, or in the server's own start-up line.
   */
  static boolean notChatter(LogRecord r) {
    if (r.getLevel().intValue() >= Level.WARNING.intValue() || r.getLoggerName() == null) {
      return true;
    }
    return CHATTY_LIBRARIES.stream().noneMatch(r.getLoggerName()::startsWith);
  }

  static Level toJul(String level) {
    return switch (level) {
      case "ERROR" -> Level.SEVERE;
      case "WARN" -> Level.WARNING;
      case "DEBUG" -> Level.FINE;
      case "TRACE" -> Level.FINEST;
      default -> Level.INFO;
    };
  }

  static String levelName(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (v >= Level.WARNING.intValue()) {
      return "WARN";
    } else if (v >= Level.INFO.intValue()) {
      return "INFO";
    } else if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  static String shortName(String logger) {
    if (logger == null) {
      return "";
    }
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }

  static String stackTrace(Throwable t) {
    java.io.StringWriter sw = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(sw));
    return sw.toString();
  }

  /** {@code 2026-11-22T10:00:00.123Z INFO [request-id] Logger: message}. */
  static final class Text extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(128);
      sb.append(r.getInstant())
          .append(' ')
          .append(String.format("%-5s", levelName(r.getLevel())))
          .append(' ');
      String id = LogFields.requestId();
      if (id != null) {
        sb.append('[').append(id).append("] ");
      }
      sb.append(shortName(r.getLoggerName())).append(": ").append(formatMessage(r)).append('\n');
      if (r.getThrown() != null) {
        sb.append(stackTrace(r.getThrown()));
      }
      return sb.toString();
    }
  }

  /**
   * One JSON object per line: time, level, logger, message, request_id, and where the thread has
   * them tenant, run_id, step_id and decision_id (see {@code LogFields}), then error.
   */
  static final class Json extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(192).append('{');
      field(sb, "time", Instant.ofEpochMilli(r.getMillis()).toString()).append(',');
      field(sb, "level", levelName(r.getLevel())).append(',');
      field(sb, "logger", r.getLoggerName() == null ? "" : r.getLoggerName()).append(',');
      field(sb, "message", formatMessage(r));
      String id = LogFields.requestId();
      if (id != null) {
        sb.append(',');
        field(sb, "request_id", id);
      }
      LogFields.current()
          .forEach(
              (name, value) -> {
                sb.append(',');
                field(sb, name, value);
              });
      if (r.getThrown() != null) {
        sb.append(',');
        field(sb, "error", stackTrace(r.getThrown()));
      }
      return sb.append("}\n").toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
      sb.append('"').append(name).append("\":\"");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      return sb.append('"');
    }
  }
}
