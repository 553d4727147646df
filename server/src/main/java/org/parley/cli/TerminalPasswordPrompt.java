package org.parley.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a password with echo off on a terminal, or one line from standard input when piped
 * (so scripts can do {@code echo secret | parley user add alice}).
 */
final class TerminalPasswordPrompt implements PasswordPrompt {

    private final Console console;
    private final InputStream stdin;

    TerminalPasswordPrompt(Console console, InputStream stdin) {
        this.console = console;
        this.stdin = stdin;
    }

    @Override
    public String read(String prompt) {
        if (console != null && isTerminal(console)) {
            char[] password = console.readPassword("%s", prompt);
            if (password == null) {
                throw new CliException(CliException.FAILED, "no password given");
            }
            return new String(password);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new CliException(CliException.FAILED, "no password given on standard input");
            }
            return line;
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read password: " + e.getMessage());
        }
    }

    /**
     * Since JDK 22 {@code System.console()} is non-null even when piped; {@code isTerminal()} tells
     * the two apart there. The code compiles for 21, where a non-null console is always a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
