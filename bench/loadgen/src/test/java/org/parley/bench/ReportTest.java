package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster scale bench (bench/cluster-scale.sh) reads memory per session and lost messages
 * from what a chat run with --memory reports: "sessions" rows (sampled by one generator process,
 * online counts added over all) before the chat rows.
 */
class ReportTest {

    private static StepResult sessions(int n, int online, long rssKb, long heapKb) {
        return new StepResult("sessions", "N=" + n, n, 0, 0, 0, online, 0, online, 0, -1, -1, rssKb, heapKb, "",
                StepResult.newHistogram());
    }

    private static StepResult chat(long sent, long delivered) {
        Histogram h = StepResult.newHistogram();
        h.recordValue(2000);
        return new StepResult("chat", "500/s", 3000, 500, 30, sent, delivered, delivered, 3000, 0, 40, 10, 900_000, -1,
                "", h);
    }

    @Test
    void memoryRowsOfThreeProcessesGiveTheMemoryPerSessionAndTheChatItsLoss(@TempDir Path dir) throws Exception {
        // slice 0 sampled the server; slices 1 and 2 only bring their online users
        StepResult idle = sessions(0, 0, 600_000, 75_000).plus(sessions(0, 0, -1, -1)).plus(sessions(0, 0, -1, -1));
        StepResult held = sessions(3000, 1000, 630_000, 90_000).plus(sessions(3000, 1000, -1, -1))
                .plus(sessions(3000, 1000, -1, -1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new Report(dir, "r1", "cluster").write(List.of(idle, held, chat(1500, 1497)));
        } finally {
            System.setOut(old);
        }
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        String[] heldRow = csv.get(2).split(",", -1);
        assertThat(heldRow[15]).isEqualTo("3000");                        // online, all processes
        assertThat(heldRow[21]).isEqualTo(Long.toString(30_000 * 1024 / 3000)); // RSS per session, B
        assertThat(heldRow[22]).isEqualTo(Long.toString(15_000 * 1024 / 3000)); // heap per session, B
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("RESULT sessions server=cluster").contains("N=3000 online=3000");
        assertThat(printed.lines().filter(l -> l.startsWith("RESULT chat server=cluster")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("500/s->").contains("lost=3"));
    }
}
