package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawComponentClient;
import org.parley.testing.ServerExtension;

/** With {@code push.includeBody: true} the summary carries the last message's body. */
class PushIncludeBodyTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_COMPONENTS_PORT", "0",
            "PARLEY_COMPONENTS_SERVICES", PushTest.APP_SERVER + "=app-secret",
            "PARLEY_PUSH_INCLUDE_BODY", "true"));

    @Test
    void theSummaryCarriesTheBody() throws Exception {
        try (RawComponentClient app = PushTest.appServer(server)) {
            PushTest.enableAndLeave(server, "body-alice", "node-1");
            try (MessageInbox bob = server.inbox("body-bob", "desk")) {
                bob.sendChat("body-alice@localhost", "Wherefore art thou?");
                Map<String, String> summary = PushTest.summary(PushTest.nextPublish(app));
                assertThat(summary).containsEntry("last-message-body", "Wherefore art thou?")
                        .containsEntry("last-message-sender", "body-bob@localhost/desk")
                        .containsEntry("message-count", "1");
            }
        }
    }
}
