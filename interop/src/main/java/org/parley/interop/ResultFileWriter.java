package org.parley.interop;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.igniterealtime.smack.inttest.AbstractSmackIntTest;
import org.igniterealtime.smack.inttest.FailedTest;
import org.igniterealtime.smack.inttest.SmackIntegrationTestFramework;
import org.igniterealtime.smack.inttest.SmackIntegrationTestFramework.ConcreteTest;
import org.igniterealtime.smack.inttest.SuccessfulTest;
import org.igniterealtime.smack.inttest.TestNotPossible;

/**
 * Writes the outcome of a run as tab-separated lines {@code STATUS, Class.method, description,
 * reason} to the file named by {@value #RESULTS_PROPERTY}, and the failures' stack traces to the
 * same path with {@code .failures.txt} appended. STATUS is PASSED, FAILED, IMPOSSIBLE (the server
 * lacks a prerequisite, e.g. a feature), IMPOSSIBLE_CLASS (the whole class could not start) or
 * SKIPPED (a method of a selected class that the run configuration excluded).
 */
public final class ResultFileWriter implements SmackIntegrationTestFramework.TestRunResultProcessor {

    static final String RESULTS_PROPERTY = "parley.interop.results";

    @Override
    public void process(SmackIntegrationTestFramework.TestRunResult result) {
        Path file = Path.of(System.getProperty(RESULTS_PROPERTY, "target/sinttest-results.tsv"));
        List<String> lines = new ArrayList<>();
        StringBuilder traces = new StringBuilder();
        for (SuccessfulTest t : result.getSuccessfulTests()) {
            lines.add(line("PASSED", t.concreteTest, ""));
        }
        for (FailedTest t : result.getFailedTests()) {
            lines.add(line("FAILED", t.concreteTest, String.valueOf(t.failureReason)));
            traces.append("=== ").append(t.concreteTest).append('\n').append(stackTrace(t.failureReason)).append('\n');
        }
        for (TestNotPossible t : result.getNotPossibleTests()) {
            lines.add(line("IMPOSSIBLE", t.concreteTest, t.testNotPossibleException.getMessage()));
        }
        for (Map.Entry<Class<? extends AbstractSmackIntTest>, Throwable> e : result.getImpossibleTestClasses().entrySet()) {
            lines.add(String.join("\t", "IMPOSSIBLE_CLASS", e.getKey().getSimpleName(), e.getKey().getName(),
                    oneLine(String.valueOf(e.getValue()))));
        }
        for (String skipped : disabledMethods(result)) {
            lines.add(String.join("\t", "SKIPPED", skipped, skipped, ""));
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.write(file, lines);
            Files.writeString(Path.of(file + ".failures.txt"), traces);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(String status, ConcreteTest test, String reason) {
        String name = test.getMethod().getDeclaringClass().getSimpleName() + "." + test.getMethod().getName();
        return String.join("\t", status, name, oneLine(test.toString()), oneLine(reason == null ? "" : reason));
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\t\\r\\n]+", " ").trim();
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /**
     * The run result has no public accessor for methods it left out (e.g. because their connection
     * type is disabled), so they are read from its private list; an unknown layout just means no
     * SKIPPED lines, never a failed run.
     */
    private static List<String> disabledMethods(SmackIntegrationTestFramework.TestRunResult result) {
        List<String> names = new ArrayList<>();
        try {
            Field f = result.getClass().getDeclaredField("disabledTests");
            f.setAccessible(true);
            for (Object o : new ArrayList<>((List<?>) f.get(result))) {
                SmackIntegrationTestFramework.DisabledTest d = (SmackIntegrationTestFramework.DisabledTest) o;
                names.add(d.getMethod().getDeclaringClass().getSimpleName() + "." + d.getMethod().getName());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of();
        }
        return names;
    }
}
