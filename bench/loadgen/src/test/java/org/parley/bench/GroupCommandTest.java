package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCommandTest {

    @Test
    void withoutFieldsTheCreatorAcceptsTheInstantConfiguration() {
        assertThat(GroupCommand.configForm(List.of())).isEqualTo("<x xmlns='jabber:x:data' type='submit'/>");
    }

    @Test
    void fieldsAreSubmittedInARoomConfigurationForm() {
        // Prosody reads a submitted form only when its FORM_TYPE is muc#roomconfig
        assertThat(GroupCommand.configForm(List.of("muc#roomconfig_presencebroadcast=moderator")))
                .isEqualTo("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                        + "<value>http://jabber.org/protocol/muc#roomconfig</value></field>"
                        + "<field var='muc#roomconfig_presencebroadcast'><value>moderator</value></field></x>");
    }

    @Test
    void aFieldWithoutAValueIsRefused() {
        assertThatThrownBy(() -> GroupCommand.configForm(List.of("muc#roomconfig_maxusers")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
