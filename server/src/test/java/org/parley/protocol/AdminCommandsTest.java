package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.RemoteCommand;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;

/** XEP-0133 over XEP-0050: what an administrator named in the configuration may do, and nobody else. */
class AdminCommandsTest {
    private static final String ADMIN = "http://jabber.org/protocol/admin#";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_ADMIN_JIDS", "ad-boss@localhost"),
            "ad-boss");

    private static final Jid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("localhost");

    private static RemoteCommand command(XMPPTCPConnection c, String action) {
        return AdHocCommandManager.getAddHocCommandsManager(c).getRemoteCommand(DOMAIN, ADMIN + action);
    }

    /** Runs a command: execute, fill the form with {@code answers} (var, value or List of values), complete. */
    private static RemoteCommand run(XMPPTCPConnection c, String action, Object... answers) throws Exception {
        RemoteCommand cmd = command(c, action);
        cmd.execute();
        if (answers.length > 0) {
            assertThat(cmd.getStatus()).isEqualTo(AdHocCommand.Status.executing);
            FillableForm form = new FillableForm(cmd.getForm());
            for (int i = 0; i < answers.length; i += 2) {
                if (answers[i + 1] instanceof List<?> values) {
                    form.setAnswer((String) answers[i], values.stream().map(String::valueOf).toList());
                } else {
                    form.setAnswer((String) answers[i], (CharSequence) answers[i + 1]);
                }
            }
            cmd.complete(form);
        }
        assertThat(cmd.getStatus()).isEqualTo(AdHocCommand.Status.completed);
        return cmd;
    }

    private static String value(RemoteCommand cmd, String var) {
        return cmd.getForm().getField(var).getFirstValue();
    }

    private static List<String> values(RemoteCommand cmd, String var) {
        return cmd.getForm().getField(var).getValues().stream().map(CharSequence::toString).toList();
    }

    private static boolean canLogIn(String user, String password) throws Exception {
        try {
            XMPPTCPConnection c = server.clients().login(user, password);
            c.disconnect();
            return true;
        } catch (XMPPException | SmackException e) {
            return false;
        }
    }

    @Test
    void anAdminSeesTheCommandsAndOthersSeeNoneAndAreForbidden() throws Exception {
        XMPPTCPConnection boss = server.login("ad-boss");
        XMPPTCPConnection user = server.login("ad-nosy");
        server.account("ad-alice");
        server.account("ad-bob");
        try (MessageInbox alice = server.inbox("ad-alice", "r"); MessageInbox bob = server.inbox("ad-bob", "r")) {
            DiscoverItems listed = AdHocCommandManager.getAddHocCommandsManager(boss).discoverCommands(DOMAIN);
            assertThat(listed.getItems()).extracting(DiscoverItems.Item::getNode).contains(ADMIN + "add-user",
                    ADMIN + "delete-user", ADMIN + "disable-user", ADMIN + "reenable-user", ADMIN + "change-user-password",
                    ADMIN + "get-online-users-num", ADMIN + "get-online-users-list", ADMIN + "get-registered-users-num",
                    ADMIN + "announce", ADMIN + "user-stats");

            assertThat(AdHocCommandManager.getAddHocCommandsManager(user).discoverCommands(DOMAIN).getItems()).isEmpty();
            StanzaError denied = catchThrowableOfType(XMPPErrorException.class, () -> command(user, "add-user").execute())
                    .getStanzaError();
            assertThat(denied.getCondition()).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(server.stores().accounts().exists("ad-forged")).isFalse();

            alice.sendChat("ad-bob@localhost", "unbothered");
            assertThat(bob.next().getBody()).isEqualTo("unbothered");
        } finally {
            boss.disconnect();
            user.disconnect();
        }
    }

    @Test
    void addChangePasswordAndDeleteAUser() throws Exception {
        XMPPTCPConnection boss = server.login("ad-boss");
        try {
            run(boss, "add-user", "accountjid", "ad-new@localhost", "password", "first", "password-verify", "first");
            assertThat(canLogIn("ad-new", "first")).isTrue();
            XMPPErrorException again = catchThrowableOfType(XMPPErrorException.class, () -> run(boss, "add-user",
                    "accountjid", "ad-new@localhost", "password", "x", "password-verify", "x"));
            assertThat(again.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict);

            run(boss, "change-user-password", "accountjid", "ad-new@localhost", "password", "second");
            assertThat(canLogIn("ad-new", "first")).isFalse();
            assertThat(canLogIn("ad-new", "second")).isTrue();

            run(boss, "delete-user", "accountjids", List.of("ad-new@localhost"));
            assertThat(server.stores().accounts().exists("ad-new")).isFalse();
            assertThat(canLogIn("ad-new", "second")).isFalse();
        } finally {
            boss.disconnect();
        }
    }

    @Test
    void aDisabledUserIsDisconnectedAndKeptOutUntilReEnabled() throws Exception {
        XMPPTCPConnection boss = server.login("ad-boss");
        XMPPTCPConnection victim = server.login("ad-disabled");
        try {
            run(boss, "disable-user", "accountjids", List.of("ad-disabled@localhost"));
            ImClients.eventually("the disabled user's session ends", () -> !victim.isConnected());

            XMPPTCPConnection again = new XMPPTCPConnection(server.clients().builder()
                    .setUsernameAndPassword("ad-disabled", ServerExtension.password("ad-disabled")).build());
            try {
                again.connect().login();
            } catch (XMPPException | SmackException e) {
                // refused during login is as good as closed right after it
            }
            ImClients.eventually("a new session of the disabled user ends", () -> !again.isConnected());

            run(boss, "reenable-user", "accountjids", List.of("ad-disabled@localhost"));
            XMPPTCPConnection back = server.login("ad-disabled");
            try {
                assertThat(PepClients.send(back, new org.jivesoftware.smackx.ping.packet.Ping(back.getXMPPServiceDomain())))
                        .isNotNull();
            } finally {
                back.disconnect();
            }
        } finally {
            boss.disconnect();
            victim.disconnect();
        }
    }

    @Test
    void countsListsStatisticsAndAnnouncements() throws Exception {
        XMPPTCPConnection boss = server.login("ad-boss");
        server.account("ad-online");
        try (MessageInbox online = server.inbox("ad-online", "desk")) {
            assertThat(Long.parseLong(value(run(boss, "get-registered-users-num"), "registeredusersnum")))
                    .isEqualTo(server.stores().accounts().count());
            assertThat(Integer.parseInt(value(run(boss, "get-online-users-num"), "onlineusersnum"))).isGreaterThanOrEqualTo(2);
            assertThat(values(run(boss, "get-online-users-list"), "onlineuserjids"))
                    .contains("ad-boss@localhost", "ad-online@localhost");

            RemoteCommand stats = run(boss, "user-stats", "accountjid", "ad-online@localhost");
            assertThat(values(stats, "onlineresources")).containsExactly("desk");
            assertThat(value(stats, "rostersize")).isEqualTo("0");

            run(boss, "announce", "subject", "Maintenance", "announcement", List.of("Back at six."));
            Message m = online.next();
            assertThat(m.getType()).isEqualTo(Message.Type.headline);
            assertThat(m.getFrom().toString()).isEqualTo("localhost");
            assertThat(m.getSubject()).isEqualTo("Maintenance");
            assertThat(m.getBody()).isEqualTo("Back at six.");
        } finally {
            boss.disconnect();
        }
    }

    @Test
    void aCanceledSessionCannotBeCompleted() throws Exception {
        XMPPTCPConnection boss = server.login("ad-boss");
        try {
            RemoteCommand cmd = command(boss, "add-user");
            cmd.execute();
            FillableForm form = new FillableForm(cmd.getForm());
            form.setAnswer("accountjid", "ad-never@localhost");
            form.setAnswer("password", "p");
            form.setAnswer("password-verify", "p");
            cmd.cancel();
            assertThat(cmd.getStatus()).isEqualTo(AdHocCommand.Status.canceled);

            XMPPErrorException stale = catchThrowableOfType(XMPPErrorException.class, () -> cmd.complete(form));

            assertThat(stale.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.bad_request);
            assertThat(AdHocCommand.getSpecificErrorCondition(stale.getStanzaError()))
                    .isEqualTo(AdHocCommand.SpecificErrorCondition.badSessionid);
            assertThat(server.stores().accounts().exists("ad-never")).isFalse();
        } finally {
            boss.disconnect();
        }
    }
}
