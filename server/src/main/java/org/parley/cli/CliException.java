package org.parley.cli;

/** A command failed in a way the user can fix; the message is printed as is, without a stack trace. */
final class CliException extends RuntimeException {

    /** Exit code of a command that ran but could not do what was asked (user exists, no such user). */
    static final int FAILED = 1;
    /** Exit code of a command that could not run: bad configuration or command line. */
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
