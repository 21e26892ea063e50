package io.maestro.engine.sandbox;

/** Linux signal numbers the sandbox interprets (identical on x86_64 and aarch64). */
final class Signals {
  static final int SIGABRT = 6;
  static final int SIGKILL = 9;
  static final int SIGSEGV = 11;
  static final int SIGTERM = 15;
  static final int SIGXCPU = 24;
  static final int SIGXFSZ = 25;

  private Signals() {}

  static String name(int signal) {
    return switch (signal) {
      case 1 -> "SIGHUP";
      case 2 -> "SIGINT";
      case 3 -> "SIGQUIT";
      case 4 -> "SIGILL";
      case 5 -> "SIGTRAP";
      case SIGABRT -> "SIGABRT";
      case 7 -> "SIGBUS";
      case 8 -> "SIGFPE";
      case SIGKILL -> "SIGKILL";
      case SIGSEGV -> "SIGSEGV";
      case 13 -> "SIGPIPE";
      case 14 -> "SIGALRM";
      case SIGTERM -> "SIGTERM";
      case 31 -> "SIGSYS";
      case SIGXCPU -> "SIGXCPU";
      case SIGXFSZ -> "SIGXFSZ";
      default -> "signal " + signal;
    };
  }
}
