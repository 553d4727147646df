package org.parley.xmpp.rsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0059 sets, with the XEP's own examples (§2). */
class RsmSetTest {

    private static RsmSet parse(String xml) {
        return RsmSet.from(XmlStrings.parse(xml));
    }

    @Test
    void readsRequests() {
        // Example 3, "Requesting the Second Page of a Result Set"
        RsmSet next = parse("<set xmlns='http://jabber.org/protocol/rsm'><max>10</max>"
                + "<after>peterpan@neverland.lit</after></set>");
        assertThat(next).isEqualTo(RsmSet.after(10, "peterpan@neverland.lit"));
        // Example 9, "Requesting the Last Page of a Result Set": an empty before
        RsmSet last = parse("<set xmlns='http://jabber.org/protocol/rsm'><max>10</max><before/></set>");
        assertThat(last).isEqualTo(RsmSet.before(10, ""));
        // Example 10, "Requesting a Result Page by Index"
        assertThat(parse("<set xmlns='http://jabber.org/protocol/rsm'><max>10</max><index>371</index></set>").index())
                .isEqualTo(371);
        // Example 13, "Requesting the Item Count"
        assertThat(parse("<set xmlns='http://jabber.org/protocol/rsm'><max>0</max></set>").max()).isZero();
    }

    @Test
    void readsAndWritesPages() {
        // Example 2, "Returning the First Page of a Result Set"
        RsmSet page = parse("""
                <set xmlns='http://jabber.org/protocol/rsm'>
                  <first index='0' exact-index='true'>stpeter@jabber.org</first>
                  <last>peterpan@neverland.lit</last>
                  <count exact='true'>800</count>
                </set>""");
        assertThat(page.first()).isEqualTo("stpeter@jabber.org");
        assertThat(page.firstIndex()).isZero();
        assertThat(page.last()).isEqualTo("peterpan@neverland.lit");
        assertThat(page.count()).isEqualTo(800);
        assertThat(RsmSet.from(page.toElement())).isEqualTo(page);
        // Example 5, "Returning an Empty Page": a count and nothing else
        assertThat(RsmSet.page(null, null, 790L).toElement())
                .isEqualTo(XmlStrings.parse("<set xmlns='http://jabber.org/protocol/rsm'><count>790</count></set>"));
        assertThat(RsmSet.page("a", "b", null).toElement()).isEqualTo(
                XmlStrings.parse("<set xmlns='http://jabber.org/protocol/rsm'><first>a</first><last>b</last></set>"));
    }

    @Test
    void aNumberThatIsNoneIsABadRequest() {
        for (String bad : new String[] {"<max>ten</max>", "<max>-1</max>", "<index>x</index>", "<count>-5</count>",
                "<first index='minus'>a</first>", "<max>99999999999</max>"}) {
            assertThatThrownBy(() -> parse("<set xmlns='http://jabber.org/protocol/rsm'>" + bad + "</set>"))
                    .as(bad).isInstanceOfSatisfying(StanzaErrorException.class,
                            e -> assertThat(e.error().condition()).isEqualTo(Condition.BAD_REQUEST));
        }
    }

    @Test
    void findsTheSetOfAQuery() {
        assertThat(RsmSet.in(XmlStrings.parse("<query xmlns='urn:xmpp:mam:2'/>"))).isNull();
        assertThat(RsmSet.in(XmlStrings.parse("<query xmlns='urn:xmpp:mam:2'>"
                + "<set xmlns='http://jabber.org/protocol/rsm'><max>5</max></set></query>")).max()).isEqualTo(5);
    }
}
