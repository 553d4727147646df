package org.parley.feature.pep;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import org.parley.testing.FuzzXml;
import org.parley.xml.Element;
import org.parley.xmpp.forms.DataForm;

/**
 * The parts of XEP-0060/0163 requests a client controls: node names, node configuration and
 * XEP-0223 publish-options forms. A form is applied or refused as invalid; an applied
 * configuration is one the node can keep (it satisfies itself and stays within the limits).
 */
class PepRequestsFuzzTest {
    private static final int LIMIT = 256;

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<pubsub xmlns='http://jabber.org/protocol/pubsub'>", "<publish node='", "<item id='",
            "<publish-options>", "<configure>", "<x xmlns='jabber:x:data' type='submit'>", "<field var='",
            "FORM_TYPE", "http://jabber.org/protocol/pubsub#publish-options",
            "http://jabber.org/protocol/pubsub#node_config", "pubsub#access_model", "pubsub#persist_items",
            "pubsub#max_items", "pubsub#send_last_published_item", "pubsub#notify_retract", "max", "open",
            "presence", "whitelist", "true", "false", "1", "0", "<value>", "</value>", "</field>", "never",
            "on_sub_and_presence"})
    void request(byte[] input) {
        FuzzXml.parseEach(input, e -> {
            if (e.attr("node") != null) {
                PepRequests.node(e);
            }
            Element x = e.element(DataForm.ELEMENT, DataForm.NAMESPACE);
            if (x == null) {
                return;
            }
            Map<String, String> submitted = NodeConfig.submitted(DataForm.from(x));
            try {
                Map<String, String> config = NodeConfig.apply(NodeConfig.defaults(), submitted, LIMIT);
                assertThat(NodeConfig.maxItems(config, LIMIT)).isBetween(1, LIMIT);
                NodeConfig.satisfies(config, submitted, LIMIT);
                NodeConfig.form(config, LIMIT);
                NodeConfig.accessModel(config);
            } catch (NodeConfig.Invalid refused) {
                // answered as the XEP says (bad-request, not-acceptable or precondition-not-met)
            }
        });
    }
}
