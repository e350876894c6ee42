package com.connectbest.chat.app;

/** A reason not to start that is the operator's to fix (configuration, command line), with the exit code to use. */
public final class StartupFailure extends RuntimeException {

  /** The exit code for a refused configuration or command line. */
  public static final int REFUSED = 2;

  private final int exitCode;

  public StartupFailure(String message) {
    super(message, null, false, false);
    this.exitCode = REFUSED;
  }

  public int exitCode() {
    return exitCode;
  }
}
