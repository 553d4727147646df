package org.parley.feature.extdisco;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0215 external service discovery: see the package documentation. */
public final class ExternalServicesModule implements Module {
    public static final Option<String> SERVICES = Option.text("services", null,
                    "STUN and TURN servers for calls (XEP-0215), comma-separated RFC 7064/7065 URIs")
            .check(ExternalServicesModule::valid,
                    "comma-separated stun:, stuns:, turn: or turns: URIs such as turn:turn.example.org:3478?transport=udp");
    public static final Option<String> SECRET = Option.text("secret", null,
            "the TURN server's shared secret (coturn: use-auth-secret, static-auth-secret)");
    public static final Option<Duration> TTL = Option.duration("ttl", Duration.ofDays(1), Duration.ofMinutes(1),
            Duration.ofDays(30), "how long issued TURN credentials work");
    private static final String CREDENTIALS = "credentials";
    private static final String SERVICES_ELEMENT = "services";

    private List<ExternalService> services;
    private TurnCredentials turn;
    private Clock clock;
    private String domain;

    @Override
    public String name() {
        return "extdisco";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(SERVICES, SECRET, TTL);
    }

    private static boolean valid(String uris) {
        try {
            parse(uris);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<ExternalService> parse(String uris) {
        List<ExternalService> out = new ArrayList<>();
        for (String uri : uris.split(",")) {
            if (!uri.isBlank()) {
                out.add(ExternalService.parse(uri.trim()));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void start(ModuleContext ctx) {
        String configured = ctx.option(SERVICES);
        services = configured == null ? List.of() : parse(configured);
        if (services.isEmpty()) {
            return;
        }
        String secret = ctx.option(SECRET);
        turn = secret == null ? null : new TurnCredentials(secret, ctx.option(TTL));
        clock = ctx.clock();
        domain = ctx.serverJid().domain();
        ctx.iqGet(IqScope.SERVER, new QName(ExternalService.NAMESPACE, SERVICES_ELEMENT), this::services);
        ctx.iqGet(IqScope.SERVER, new QName(ExternalService.NAMESPACE, CREDENTIALS), this::credentials);
        ctx.features().serverFeature(ExternalService.NAMESPACE);
    }

    /** The requester's local part: services and credentials are for the server's own users. */
    private String user(IqRequest r) {
        if (r.from() == null || r.from().local() == null || !domain.equals(r.from().domain())) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "for this server's users only");
        }
        return r.from().local();
    }

    /** §3.1 (all) and §3.2 (of one type), TURN servers with fresh credentials when a secret is configured. */
    private Element services(IqRequest r) {
        String user = user(r);
        String type = r.payload().attr("type");
        Element.Builder out = Element.builder(SERVICES_ELEMENT, ExternalService.NAMESPACE);
        if (type != null) {
            out.attr("type", type);
        }
        for (ExternalService s : services) {
            if (type == null || type.equals(s.type())) {
                out.child(withCredentials(s, user).toElement());
            }
        }
        return out.build();
    }

    /** §3.3: credentials for one service, named by host and type (and port when it has one). */
    private Element credentials(IqRequest r) {
        String user = user(r);
        Element named = r.payload().element(ExternalService.ELEMENT, ExternalService.NAMESPACE);
        if (named == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "name the service: <service host='…' type='…'/>");
        }
        ExternalService wanted = ExternalService.from(named);
        for (ExternalService s : services) {
            if (s.host().equals(wanted.host()) && s.type().equals(wanted.type())
                    && (wanted.port() == 0 || wanted.port() == s.port())) {
                return Element.builder(CREDENTIALS, ExternalService.NAMESPACE)
                        .child(withCredentials(s, user).toElement()).build();
            }
        }
        throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such service");
    }

    private ExternalService withCredentials(ExternalService s, String user) {
        return s.isTurn() && turn != null ? s.with(turn.issue(user, clock.instant())) : s;
    }
}
