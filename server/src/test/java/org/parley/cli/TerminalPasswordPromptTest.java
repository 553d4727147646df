package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalPasswordPromptTest {

    @Test
    void readsOneLineFromPipedInput() {
        var stdin = new ByteArrayInputStream("pässword\r\nnext line\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new TerminalPasswordPrompt(null, stdin).read("Password: ")).isEqualTo("pässword");
    }

    @Test
    void emptyInputIsAnError() {
        var stdin = new ByteArrayInputStream(new byte[0]);
        assertThatThrownBy(() -> new TerminalPasswordPrompt(null, stdin).read("Password: "))
                .isInstanceOf(CliException.class)
                .hasMessage("no password given on standard input");
    }
}
