package org.parley.module;

import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;

/**
 * A module's share of service discovery on accounts (bare JIDs) beyond the account's own
 * features: the items it lists and the nodes it answers disco#info for (XEP-0030 §3.2 and §4.1),
 * e.g. the nodes of a personal eventing service. Disco asks every registered provider, so it
 * never knows which feature owns a node.
 */
public interface AccountNodes {

    /**
     * The disco#items {@code <item/>} elements this module lists for {@code account} as
     * {@code requester} may see them; {@code node} is null for the account itself. Null when the
     * module does not know that node (or {@code requester} may not see it).
     */
    List<Element> items(Jid account, Jid requester, String node);

    /**
     * The disco#info {@code <query/>} for a node of {@code account}, or null when this module does
     * not know the node or {@code requester} may not see it.
     */
    Element info(Jid account, Jid requester, String node);
}
