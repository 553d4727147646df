package org.parley.feature.adhoc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.ServerNodes;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;

/** XEP-0050 ad-hoc commands on the server's domain: see the package documentation. */
public final class AdHocModule implements Module, ServerNodes {
    public static final Option<Integer> MAX_SESSIONS = Option.integer("maxSessions", 1000, 1, 1_000_000,
            "XEP-0050 command sessions waiting for a form at once, all users together");
    public static final Option<Duration> SESSION_TIMEOUT = Option.duration("sessionTimeout", Duration.ofMinutes(10),
            Duration.ofSeconds(10), Duration.ofDays(1), "how long a XEP-0050 command waits for its form");

    private final List<Command> commands = new CopyOnWriteArrayList<>();
    /** Sessions waiting for their form, oldest first. */
    private final Map<String, Waiting> sessions = new LinkedHashMap<>();
    private Clock clock;
    private Jid server;
    private int maxSessions;
    private Duration timeout;

    private record Waiting(Command command, Jid requester, Instant expires) {
    }

    @Override
    public String name() {
        return "adhoc";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_SESSIONS, SESSION_TIMEOUT);
    }

    /** Offers {@code command} on the server's domain; modules call this before the server starts. */
    public void register(Command command) {
        commands.add(command);
    }

    @Override
    public void start(ModuleContext ctx) {
        clock = ctx.clock();
        server = ctx.serverJid();
        maxSessions = ctx.option(MAX_SESSIONS);
        timeout = ctx.option(SESSION_TIMEOUT);
        ctx.iqSet(IqScope.SERVER, new QName(AdHocCommand.NAMESPACE, AdHocCommand.ELEMENT), this::command);
        ctx.features().serverFeature(AdHocCommand.NAMESPACE);
        ctx.features().serverNodes(this);
    }

    private Command find(String node, Jid requester) {
        for (Command c : commands) {
            if (c.node().equals(node)) {
                if (!c.allowed(requester)) {
                    throw new StanzaErrorException(Condition.FORBIDDEN);
                }
                return c;
            }
        }
        throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such command");
    }

    private Element command(IqRequest r) {
        Jid requester = r.from();
        if (requester == null) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
        AdHocCommand request = AdHocCommand.from(r.payload());
        Command command = find(request.node(), requester);
        if (request.sessionId() == null) {
            if (!request.action().equals("execute")) {
                throw AdHocCommand.error(Condition.BAD_REQUEST, "bad-action", "a command starts with execute");
            }
            DataForm form = command.form(requester);
            if (form == null) {
                return completed(command, UUID.randomUUID().toString(), command.complete(requester, null));
            }
            String id = open(command, requester);
            return new AdHocCommand(command.node(), id, null, "executing", form, null, true).toElement();
        }
        Waiting waiting = take(request.sessionId(), command, requester);
        return switch (request.action()) {
            case "cancel" -> new AdHocCommand(command.node(), request.sessionId(), null, "canceled", null, null, false)
                    .toElement();
            case "execute", "complete" -> {
                if (request.form() == null || request.form().type() != DataForm.Type.SUBMIT) {
                    throw AdHocCommand.error(Condition.BAD_REQUEST, "bad-payload", "submit the command's form");
                }
                yield completed(command, request.sessionId(), waiting.command().complete(requester, request.form()));
            }
            default -> throw AdHocCommand.error(Condition.BAD_REQUEST, "bad-action",
                    "this command has one stage: complete or cancel");
        };
    }

    private static Element completed(Command command, String sessionId, Command.Outcome outcome) {
        return new AdHocCommand(command.node(), sessionId, null, "completed", outcome.result(), outcome.note(), false)
                .toElement();
    }

    private synchronized String open(Command command, Jid requester) {
        expire();
        if (sessions.size() >= maxSessions) {
            throw new StanzaErrorException(Condition.RESOURCE_CONSTRAINT,
                    "too many commands waiting for a form (adhoc.maxSessions)");
        }
        String id = UUID.randomUUID().toString();
        sessions.put(id, new Waiting(command, requester, clock.instant().plus(timeout)));
        return id;
    }

    /** §4.4: the session, which ends here; only its own requester continues it, on its own command. */
    private synchronized Waiting take(String id, Command command, Jid requester) {
        expire();
        Waiting w = sessions.get(id);
        if (w == null || !w.requester().equals(requester) || w.command() != command) {
            throw AdHocCommand.error(Condition.BAD_REQUEST, "bad-sessionid", "no such session");
        }
        sessions.remove(id);
        return w;
    }

    private void expire() {
        Instant now = clock.instant();
        for (Iterator<Waiting> it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().expires().isBefore(now)) {
                it.remove();
            }
        }
    }

    /** §2.2: the commands node lists what the requester may run. */
    @Override
    public List<Element> items(Jid requester, String node) {
        if (!AdHocCommand.NAMESPACE.equals(node)) {
            return null;
        }
        List<Element> items = new ArrayList<>();
        for (Command c : commands) {
            if (requester != null && c.allowed(requester)) {
                items.add(Element.builder("item", Namespaces.DISCO_ITEMS).attr("jid", server.toString())
                        .attr("node", c.node()).attr("name", c.name()).build());
            }
        }
        return items;
    }

    /** §2.3: a command node is a command-node; the commands node itself lists the commands. */
    @Override
    public Element info(Jid requester, String node) {
        if (AdHocCommand.NAMESPACE.equals(node)) {
            return Element.builder("query", Namespaces.DISCO_INFO)
                    .child(Element.builder("identity", Namespaces.DISCO_INFO).attr("category", "automation")
                            .attr("type", "command-list").build())
                    .build();
        }
        for (Command c : commands) {
            if (c.node().equals(node) && requester != null && c.allowed(requester)) {
                return Element.builder("query", Namespaces.DISCO_INFO)
                        .child(Element.builder("identity", Namespaces.DISCO_INFO).attr("category", "automation")
                                .attr("type", "command-node").attr("name", c.name()).build())
                        .child(Element.builder("feature", Namespaces.DISCO_INFO).attr("var", AdHocCommand.NAMESPACE).build())
                        .child(Element.builder("feature", Namespaces.DISCO_INFO).attr("var", DataForm.NAMESPACE).build())
                        .build();
            }
        }
        return null;
    }
}
