package org.parley.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

class ComponentNamespacesTest {

    @Test
    void renamesTheStanzaAndItsOwnChildrenButNotForwardedStanzas() {
        Element forwarded = Element.builder("message", Namespaces.CLIENT)
                .child(Element.builder("body", Namespaces.CLIENT).text("inner").build()).build();
        Element m = Element.builder("message", Namespaces.CLIENT)
                .child(Element.builder("body", Namespaces.CLIENT).text("outer").build())
                .child(Element.builder("forwarded", "urn:xmpp:forward:0").child(forwarded).build())
                .build();
        Element out = ComponentNamespaces.convert(m, Namespaces.CLIENT, ComponentNamespaces.ACCEPT);
        assertThat(out.namespace()).isEqualTo(ComponentNamespaces.ACCEPT);
        assertThat(out.childText("body", ComponentNamespaces.ACCEPT)).isEqualTo("outer");
        Element kept = out.element("forwarded", "urn:xmpp:forward:0").element("message", Namespaces.CLIENT);
        assertThat(kept).isEqualTo(forwarded);
    }

    @Test
    void routesTheDomainAndItsSubdomainsOnly() {
        ComponentRoutes routes = new ComponentRoutes(Map.of("push.example.org", "s"));
        assertThat(routes.route("push.example.org")).isEqualTo(Jid.of("push.example.org/component"));
        assertThat(routes.route("a.push.example.org")).isEqualTo(Jid.of("push.example.org/component"));
        assertThat(routes.route("example.org")).isNull();
        assertThat(routes.route("xpush.example.org")).isNull();
    }
}
