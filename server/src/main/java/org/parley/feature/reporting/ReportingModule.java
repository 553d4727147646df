package org.parley.feature.reporting;

import java.time.Clock;
import java.util.List;
import org.parley.config.Option;
import org.parley.feature.blocking.BlockingModule;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** XEP-0377 spam and abuse reports on block requests: see the package documentation. */
public final class ReportingModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(ReportingModule.class);

    public static final Option<Integer> MAX_PER_USER = Option.integer("maxPerUser", 1000, 1, 1_000_000,
            "XEP-0377 abuse reports kept per reporting account; later ones are not kept (the block still holds)");
    public static final Option<Integer> MAX_TEXT_CHARS = Option.integer("maxTextChars", 4000, 0, 1_000_000,
            "characters of a report's text kept; the rest is cut");

    private final BlockingModule blocking;
    private ReportStore store;
    private Clock clock;
    private int maxPerUser;
    private int maxTextChars;

    /** @param blocking the block requests that carry the reports */
    public ReportingModule(BlockingModule blocking) {
        this.blocking = blocking;
    }

    @Override
    public String name() {
        return "reporting";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_PER_USER, MAX_TEXT_CHARS);
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlReportStore(database);
    }

    /** The reports kept, for the operator's command line; open after {@link #openStorage}. */
    public ReportStore reports() {
        return store;
    }

    @Override
    public void start(ModuleContext ctx) {
        clock = ctx.clock();
        maxPerUser = ctx.option(MAX_PER_USER);
        maxTextChars = ctx.option(MAX_TEXT_CHARS);
        blocking.observe(this::blocked);
        ctx.features().serverFeature(Report.NAMESPACE);
    }

    /**
     * §4: the block was carried out as without a report; what the report says is kept for the
     * operator. A store failure here is logged, never turned into an error of the block.
     */
    private void blocked(Jid user, Element block) {
        for (Report r : Report.in(user.local(), block, maxTextChars, clock.instant(), ReportingModule::normalised)) {
            try {
                if (store.add(r, maxPerUser)) {
                    log.info("abuse report: {} reported {} ({})", user.bare(), r.jid(),
                            r.reason() == null ? "no reason given" : r.reason());
                } else {
                    log.warn("abuse report from {} about {} not kept: it has {} reports already", user.bare(),
                            r.jid(), maxPerUser);
                }
            } catch (RuntimeException e) {
                log.error("abuse report from {} about {} could not be stored", user.bare(), r.jid(), e);
            }
        }
    }

    private static String normalised(String jid) {
        Jid parsed = Jid.parseOrNull(jid);
        return parsed == null ? jid : parsed.toString();
    }
}
