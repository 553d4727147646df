package org.parley.cli;

/** Where a password comes from when it is not on the command line. */
@FunctionalInterface
public interface PasswordPrompt {

    /** @throws CliException when no password can be read */
    String read(String prompt);
}
