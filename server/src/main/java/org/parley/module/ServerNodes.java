package org.parley.module;

import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;

/**
 * A module's share of service discovery on the server's own domain beyond its features: the
 * nodes it answers disco#items and disco#info for (XEP-0030 §3.2, §4.1), e.g. the command list
 * of XEP-0050. Disco asks every registered provider, so it never knows which feature owns a node.
 */
public interface ServerNodes {

    /**
     * The disco#items {@code <item/>} elements of {@code node} as {@code requester} may see them;
     * null when the module does not know the node.
     */
    List<Element> items(Jid requester, String node);

    /**
     * The disco#info {@code <query/>} of {@code node}, or null when this module does not know the
     * node or {@code requester} may not see it.
     */
    Element info(Jid requester, String node);
}
