package org.parley.protocol;

import org.parley.feature.offline.OfflineStore;
import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.parts.Localpart;
import org.parley.feature.register.RegisterModule;
import org.parley.store.RosterItem;
import org.parley.store.Stores;
import org.parley.testing.Clients;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/** In-band registration (XEP-0077): creating, changing and cancelling accounts with Smack's AccountManager. */
class RegistrationTest {
    private static final String REGISTER = "jabber:iq:register";
    private static final String REGISTER_FEATURE = "http://jabber.org/features/iq-register";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers("taken", "leaver", "friend")
            .withUser("changer", "old-pw");

    @Test
    void registerOverStartTlsThenLogIn() throws Exception {
        XMPPTCPConnection c = connected(server.clients());
        try {
            assertThat(c.hasFeature("register", REGISTER_FEATURE)).isTrue();
            AccountManager accounts = AccountManager.getInstance(c);
            assertThat(accounts.supportsAccountCreation()).isTrue();
            assertThat(accounts.getAccountAttributes()).contains("username", "password");
            accounts.createAccount(Localpart.from("newcomer"), "newcomer-pw");
        } finally {
            c.disconnect();
        }
        assertThat(server.stores().accounts().exists("newcomer")).isTrue();
        XMPPTCPConnection login = server.clients().login("newcomer", "newcomer-pw");
        try {
            assertThat(login.getUser().toString()).isEqualTo("newcomer@localhost/test");
        } finally {
            login.disconnect();
        }
    }

    @Test
    void existingUsernameIsConflict() throws Exception {
        assertThat(createAccountError("taken", "other-pw")).isEqualTo(StanzaError.Condition.conflict);
        // The existing account keeps its password.
        server.clients().login("taken", "taken-pw").disconnect();
    }

    // Smack refuses to send an empty password itself, so these two go over a raw stream.
    @ParameterizedTest
    @ValueSource(strings = {"", "<password/>"})
    void missingPasswordIsNotAcceptable(String passwordElement) throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            Element features = raw.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(features.element("register", REGISTER_FEATURE)).isNotNull();
            raw.send("<iq type='set' id='reg-1'><query xmlns='" + REGISTER + "'><username>half-done</username>"
                    + passwordElement + "</query></iq>");
            Element reply = raw.element();
            assertThat(reply.attr("type")).as(reply.toXml()).isEqualTo("error");
            assertThat(reply.attr("id")).isEqualTo("reg-1");
            Element error = reply.element("error", Namespaces.CLIENT);
            assertThat(error.attr("type")).isEqualTo("modify");
            assertThat(error.element("not-acceptable", Namespaces.STANZA_ERRORS)).as(reply.toXml()).isNotNull();
            // The stream goes on: the form can still be fetched.
            raw.send("<iq type='get' id='reg-2'><query xmlns='" + REGISTER + "'/></iq>");
            Element form = raw.element();
            assertThat(form.attr("type")).isEqualTo("result");
            assertThat(form.element("query", REGISTER).element("password", REGISTER)).isNotNull();
        }
        assertThat(server.stores().accounts().exists("half-done")).isFalse();
    }

    @Test
    void changePasswordReplacesTheOldOne() throws Exception {
        XMPPTCPConnection c = server.clients().login("changer", "old-pw");
        try {
            AccountManager.getInstance(c).changePassword("new-pw");
        } finally {
            c.disconnect();
        }
        SASLErrorException e = catchThrowableOfType(SASLErrorException.class, () -> server.clients().login("changer", "old-pw"));
        assertThat(e).isNotNull();
        assertThat(e.getSASLFailure().getSASLError()).isEqualTo(SASLError.not_authorized);
        server.clients().login("changer", "new-pw").disconnect();
    }

    @Test
    void cancellingRegistrationRemovesTheAccountAndItsData() throws Exception {
        Stores stores = server.stores();
        stores.roster().put("leaver", RosterItem.of("friend@localhost"));
        stores.vcards().put("leaver", "<vCard xmlns='vcard-temp'><FN>Leaver</FN></vCard>");
        OfflineStore offline = new SqlOfflineStore(server.database());
        offline.store("leaver", "<message xmlns='jabber:client' from='friend@localhost/x' to='leaver@localhost'>"
                + "<body>bye</body></message>", 100);
        XMPPTCPConnection friend = server.clients().login("friend", "friend-pw");
        XMPPTCPConnection c = server.clients().login("leaver", "leaver-pw");
        try {
            BlockingQueue<Exception> closedOnError = new ArrayBlockingQueue<>(1);
            c.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    closedOnError.add(e);
                }
            });
            AccountManager.getInstance(c).deleteAccount();

            // XEP-0077 §3.2: the server ends the sessions of a removed account.
            Exception closed = closedOnError.poll(5, TimeUnit.SECONDS);
            assertThat(closed).isInstanceOf(StreamErrorException.class);
            assertThat(((StreamErrorException) closed).getStreamError().getCondition())
                    .isEqualTo(StreamError.Condition.not_authorized);
        } finally {
            c.disconnect();
        }
        assertThat(stores.accounts().exists("leaver")).isFalse();
        assertThat(stores.roster().items("leaver")).isEmpty();
        assertThat(stores.vcards().get("leaver")).isEmpty();
        assertThat(offline.count("leaver")).isZero();

        SASLErrorException e = catchThrowableOfType(SASLErrorException.class, () -> server.clients().login("leaver", "leaver-pw"));
        assertThat(e).isNotNull();
        assertThat(e.getSASLFailure().getSASLError()).isEqualTo(SASLError.not_authorized);
        try {
            assertThat(PingManager.getInstanceFor(friend).pingMyServer(false)).isTrue();
        } finally {
            friend.disconnect();
        }
    }

    @Test
    void registrationCanBeSwitchedOff(@TempDir Path offDir) throws Exception {
        try (TestServer off = TestServer.start(offDir, Map.of("PARLEY_REGISTRATION_ENABLED", "false"))) {
            assertRegistrationRefused(off);
        }
    }

    @Test
    void registrationIsOffByDefaultForAPublicDomain(@TempDir Path publicDir) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_DOMAIN", "example.org");
        env.put("PARLEY_REGISTRATION_ENABLED", null); // drop the test default: the server decides
        try (TestServer pub = TestServer.start(publicDir, env)) {
            assertThat(pub.server().config().module("registration").get(RegisterModule.ENABLED))
                    .as("unset: the module decides by the domain").isNull();
            assertThat(pub.certificate().getSubjectAlternativeNames())
                    .contains(java.util.List.of(2, "example.org")); // 2: dNSName
            assertRegistrationRefused(pub);
        }
    }

    @Test
    void registrationIsOnByDefaultForLocalhost(@TempDir Path localDir) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_REGISTRATION_ENABLED", null);
        try (TestServer local = TestServer.start(localDir, env)) {
            assertThat(local.server().config().module("registration").get(RegisterModule.ENABLED))
                    .as("unset: the module decides by the domain").isNull();
            XMPPTCPConnection c = connected(new Clients(local));
            try {
                assertThat(c.hasFeature("register", REGISTER_FEATURE)).isTrue();
            } finally {
                c.disconnect();
            }
        }
    }

    /** Smack connects over STARTTLS, verifying the certificate against the server's domain. */
    private static void assertRegistrationRefused(TestServer s) throws Exception {
        Clients sClients = new Clients(s);
        XMPPTCPConnection c = connected(sClients);
        try {
            assertThat(c.getXMPPServiceDomain().toString()).isEqualTo(s.domain());
            assertThat(c.isSecureConnection()).isTrue();
            assertThat(c.hasFeature("register", REGISTER_FEATURE)).isFalse();
            XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                    () -> AccountManager.getInstance(c).createAccount(Localpart.from("intruder"), "intruder-pw"));
            assertThat(e).isNotNull();
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        } finally {
            c.disconnect();
        }
        assertThat(s.server().stores().accounts().exists("intruder")).isFalse();

        // Logging in with an account made by the operator still works.
        s.createUser("operator-made", "operator-pw");
        XMPPTCPConnection user = sClients.login("operator-made", "operator-pw");
        try {
            assertThat(user.getUser().toString()).isEqualTo("operator-made@" + s.domain() + "/test");
        } finally {
            user.disconnect();
        }
    }

    private static StanzaError.Condition createAccountError(String user, String password) throws Exception {
        XMPPTCPConnection c = connected(server.clients());
        try {
            XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                    () -> AccountManager.getInstance(c).createAccount(Localpart.from(user), password));
            assertThat(e).as("registration must fail").isNotNull();
            return e.getStanzaError().getCondition();
        } finally {
            c.disconnect();
        }
    }

    private static XMPPTCPConnection connected(Clients cs) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(cs.builder().build());
        c.setReplyTimeout(5000);
        c.connect();
        return c;
    }
}
