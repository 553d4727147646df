package org.parley.feature.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;

class PushElementsTest {

    private static Element xml(String s) {
        return XmlStrings.parse(s);
    }

    private static void rejected(String xml, Condition condition) {
        assertThatThrownBy(() -> {
            Element e = xml(xml);
            if (e.name().equals("enable")) {
                PushElements.Enable.from(e);
            } else {
                PushElements.Disable.from(e);
            }
        }).isInstanceOfSatisfying(StanzaErrorException.class, x -> assertThat(x.error().condition()).isEqualTo(condition));
    }

    @Test
    void enableNeedsAValidJidAndANode() {
        rejected("<enable xmlns='urn:xmpp:push:0' node='n'/>", Condition.BAD_REQUEST);
        rejected("<enable xmlns='urn:xmpp:push:0' jid='a@@b' node='n'/>", Condition.JID_MALFORMED);
        rejected("<enable xmlns='urn:xmpp:push:0' jid='push.example'/>", Condition.BAD_REQUEST);
        rejected("<enable xmlns='urn:xmpp:push:0' jid='push.example' node='n'><x xmlns='jabber:x:data' type='form'/></enable>",
                Condition.BAD_REQUEST);
        rejected("<disable xmlns='urn:xmpp:push:0'/>", Condition.BAD_REQUEST);
        PushElements.Enable ok = PushElements.Enable.from(xml(
                "<enable xmlns='urn:xmpp:push:0' jid='push.example' node='n'><x xmlns='jabber:x:data' type='submit'/></enable>"));
        assertThat(ok.jid().toString()).isEqualTo("push.example");
        assertThat(ok.publishOptions()).isNotNull();
        assertThat(PushElements.Disable.from(xml("<disable xmlns='urn:xmpp:push:0' jid='push.example'/>")).node()).isNull();
    }

    @Test
    void thePublishCarriesTheSummaryAndThePublishOptions() {
        Element options = xml("<x xmlns='jabber:x:data' type='submit'><field var='secret'><value>s</value></field></x>");
        Element pubsub = PushElements.publish("node-1", new PushElements.Summary(3, "juliet@example/balcony", null), options);
        Element publish = pubsub.element("publish", Namespaces.PUBSUB);
        assertThat(publish.attr("node")).isEqualTo("node-1");
        Element form = publish.element("item", Namespaces.PUBSUB).element("notification", PushElements.NAMESPACE)
                .element("x", DataForm.NAMESPACE);
        assertThat(form.attr("type")).isEqualTo("submit");
        assertThat(form.elements("field", DataForm.NAMESPACE)).extracting(f -> f.attr("var"))
                .containsExactly("FORM_TYPE", "message-count", "last-message-sender");
        assertThat(pubsub.element("publish-options", Namespaces.PUBSUB).element("x", DataForm.NAMESPACE))
                .isEqualTo(options);
    }

    @Test
    void publishIdsNameTheirNode() {
        String digest = PushNotifier.nodeDigest("yxs32uqsflafdk3iuqo");
        assertThat(PushNotifier.digestOf(PushNotifier.ID_PREFIX + "42-" + digest)).isEqualTo(digest);
        assertThat(PushNotifier.digestOf("abc")).isNull();
        assertThat(PushNotifier.digestOf(null)).isNull();
    }
}
