package org.parley.feature.caps;

import java.util.function.Supplier;
import org.parley.module.Features;
import org.parley.xml.Element;

/**
 * The server's own capabilities (XEP-0115 §6.3 "Stream Feature"): a {@code <c/>} in the stream
 * features after authentication, hashing exactly the disco#info the server answers, so a client
 * (or a compliance checker) learns the server's features without asking and can tell from the ver
 * when they change. Made once every module has announced what it serves, when the first client
 * needs it; the server then also answers disco#info to its {@code node#ver} (§6.2).
 */
final class ServerCaps implements Supplier<Element> {
    /** The software that makes the hash, in the form XEP-0115 §4 asks for (a URI of the product). */
    static final String NODE = "https://parley.chat";
    static final String HASH = "sha-1";

    private final Features features;
    private volatile Element element;

    ServerCaps(Features features) {
        this.features = features;
    }

    @Override
    public Element get() {
        Element made = element;
        if (made == null) {
            String ver = VerificationString.ver(features.serverInfo(), HASH);
            made = new Caps(HASH, NODE, ver).toElement();
            features.serverInfoNode(NODE + "#" + ver);
            element = made;
        }
        return made;
    }
}
