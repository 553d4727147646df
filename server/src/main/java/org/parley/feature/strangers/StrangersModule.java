package org.parley.feature.strangers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.config.Option;
import org.parley.feature.adhoc.AdHocModule;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.delay.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Messages from and to strangers: see the package documentation. */
public final class StrangersModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(StrangersModule.class);

    public static final String DELIVER = "deliver";
    public static final String HOLD = "hold";
    public static final String REFUSE = "refuse";

    public static final Option<String> POLICY = Option.choice("policy", DELIVER, List.of(DELIVER, HOLD, REFUSE),
            "what becomes of a message from someone not in the recipient's roster with a subscription");
    public static final Option<Integer> MAX_HELD_PER_USER = Option.integer("maxHeldPerUser", 100, 1, 1_000_000,
            "messages from strangers held for one account; past it they are refused");
    public static final Option<Duration> HOLD_FOR = Option.duration("holdFor", Duration.ofDays(7),
            Duration.ofMinutes(1), Duration.ofDays(365), "held messages not delivered within this are deleted");
    public static final Option<Integer> MAX_MESSAGES = Option.integer("maxMessages", 100, 1, 1_000_000_000,
            "messages one account may send to people who do not know it per strangers.window");
    public static final Option<Duration> WINDOW = Option.duration("window", Duration.ofMinutes(10),
            Duration.ofSeconds(1), Duration.ofDays(1), "see strangers.maxMessages");
    public static final Option<Duration> CONVERSATION_TTL = Option.duration("conversationTtl", Duration.ofDays(1),
            Duration.ofMinutes(1), Duration.ofDays(30),
            "someone a user wrote to counts as known to the user for this long");
    public static final Option<Integer> MAX_CONVERSATIONS = Option.integer("maxConversations", 100_000, 100,
            100_000_000, "conversations and sending accounts each node remembers for the above");

    private final AdHocModule adhoc;
    private HeldStore store;
    private Router router;
    private Clock clock;
    private Jid server;
    private String policy;
    private int maxHeld;
    private Duration holdFor;
    private int maxMessages;
    private Duration window;
    private Acquaintances acquaintances;
    private SendLimit limit;
    private ScheduledFuture<?> purge;

    /** @param adhoc the XEP-0050 commands through which users read what is held for them */
    public StrangersModule(AdHocModule adhoc) {
        this.adhoc = adhoc;
    }

    @Override
    public String name() {
        return "strangers";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(POLICY, MAX_HELD_PER_USER, HOLD_FOR, MAX_MESSAGES, WINDOW, CONVERSATION_TTL,
                MAX_CONVERSATIONS);
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlHeldStore(database);
    }

    @Override
    public void start(ModuleContext ctx) {
        router = ctx.router();
        clock = ctx.clock();
        server = ctx.serverJid();
        policy = ctx.option(POLICY);
        maxHeld = ctx.option(MAX_HELD_PER_USER);
        holdFor = ctx.option(HOLD_FOR);
        maxMessages = ctx.option(MAX_MESSAGES);
        window = ctx.option(WINDOW);
        int remembered = ctx.option(MAX_CONVERSATIONS);
        acquaintances = new Acquaintances(ctx.stores().roster(), remembered, ctx.option(CONVERSATION_TTL));
        limit = new SendLimit(maxMessages, window, remembered);
        ctx.hook(Phase.OUTBOUND, Stage.FILTER, "strangers.limit", this::outbound);
        ctx.hook(Phase.INBOUND, Stage.FILTER, "strangers.policy", this::inbound);
        if (HOLD.equals(policy)) {
            // Only then is anything held: other servers' users see no command they cannot use.
            adhoc.register(new HeldCommand(store, server, ctx.directory(), router, acquaintances));
        }
        long every = Math.max(60_000, holdFor.toMillis() / 24);
        purge = ctx.scheduler().scheduleWithFixedDelay(this::purge, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (purge != null) {
            purge.cancel(false);
        }
    }

    /**
     * A message a person sends to another person: chat, normal or headline, between accounts (not
     * to or from the server, its services and components at its subdomains, or oneself).
     */
    private boolean personal(Stanza s, Jid from, Jid to) {
        if (!s.isMessage() || from == null || to == null || from.local() == null || to.local() == null
                || from.sameBare(to) || s.isError() || "groupchat".equals(s.type())) {
            return false;
        }
        return !isService(from) && !isService(to);
    }

    private boolean isService(Jid jid) {
        return !jid.domain().equals(server.domain()) && jid.domain().endsWith("." + server.domain());
    }

    private static boolean hasBody(Stanza s) {
        return s.element().element("body", Namespaces.CLIENT) != null;
    }

    /**
     * strangers.maxMessages: a message with a body to someone who is not the sender's contact and
     * has not written to the sender counts; one past the limit is refused with policy-violation.
     * Every message that goes out makes its recipient known to the sender (their replies pass).
     */
    private Stanza outbound(Stanza s, Session origin) {
        Jid from = s.from();
        Jid to = s.to();
        if (!personal(s, from, to) || !hasBody(s)) {
            return s;
        }
        String user = from.local();
        String peer = to.bare().toString();
        String self = from.bare().toString();
        if (!(to.domain().equals(server.domain()) && acquaintances.hasWritten(to.local(), self))
                && !acquaintances.isContactCached(user, peer) && !limit.allow(user, System.nanoTime())) {
            throw new StanzaErrorException(new StanzaError(Condition.POLICY_VIOLATION, StanzaError.Type.WAIT,
                    "more than " + maxMessages + " messages to people who are not your contacts within "
                            + window.toSeconds() + " s; try again later"));
        }
        acquaintances.wrote(user, peer);
        return s;
    }

    /** strangers.policy hold or refuse: a stranger's message to an account. */
    private Stanza inbound(Stanza s, Session ignored) {
        Jid from = s.from();
        Jid to = s.to();
        if (DELIVER.equals(policy) || !personal(s, from, to) || !to.domain().equals(server.domain())) {
            return s;
        }
        String owner = to.local();
        String sender = from.bare().toString();
        if (acquaintances.hasWritten(owner, sender) || acquaintances.isContact(owner, sender)) {
            return s;
        }
        if (!hasBody(s)) {
            return null; // a stranger's chat state or receipt: nothing to keep or answer
        }
        if (HOLD.equals(policy)) {
            Element stamped = new Delay(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), server)
                    .replaceIn(s.element());
            if (store.hold(owner, sender, stamped.toXml(), maxHeld, clock.instant())) {
                return null;
            }
            refuse(s, "the recipient holds too many messages from people not in their contact list");
            return null;
        }
        refuse(s, "the recipient accepts messages only from their contacts; ask to subscribe to their presence first");
        return null;
    }

    private void refuse(Stanza s, String text) {
        router.bounce(s, new StanzaError(Condition.POLICY_VIOLATION, StanzaError.Type.MODIFY, text));
    }

    private void purge() {
        try {
            int purged = store.purge(clock.instant().minus(holdFor));
            if (purged > 0) {
                log.info("deleted {} messages from strangers held longer than {}", purged, holdFor);
            }
        } catch (RuntimeException e) {
            log.warn("purging held messages failed: {}", e.getMessage());
        }
    }
}
