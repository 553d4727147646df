package org.parley.xmpp.forms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0004 forms, with the XEP's own examples (§6) and those of XEP-0068 and XEP-0128. */
class DataFormTest {

    private static DataForm parse(String xml) {
        return DataForm.from(XmlStrings.parse(xml));
    }

    private static void rejected(String xml) {
        assertThatThrownBy(() -> parse(xml)).isInstanceOfSatisfying(StanzaErrorException.class,
                e -> assertThat(e.error().condition()).isEqualTo(Condition.BAD_REQUEST));
    }

    /** XEP-0004 Example 2, "Service Returns Bot Creation Form". */
    private static final String BOT_FORM = """
            <x xmlns='jabber:x:data' type='form'>
              <title>Bot Configuration</title>
              <instructions>Fill out this form to configure your new bot!</instructions>
              <field type='hidden' var='FORM_TYPE'><value>jabber:bot</value></field>
              <field type='fixed'><value>Section 1: Bot Info</value></field>
              <field type='text-single' label='The name of your bot' var='botname'/>
              <field type='text-multi' label='Helpful description of your bot' var='description'/>
              <field type='boolean' label='Public bot?' var='public'><required/></field>
              <field type='text-private' label='Password for special access' var='password'/>
              <field type='fixed'><value>Section 2: Features</value></field>
              <field type='list-multi' label='What features will the bot support?' var='features'>
                <option label='Contests'><value>contests</value></option>
                <option label='News'><value>news</value></option>
                <option label='Polls'><value>polls</value></option>
                <option label='Reminders'><value>reminders</value></option>
                <option label='Search'><value>search</value></option>
                <value>news</value>
                <value>search</value>
              </field>
              <field type='fixed'><value>Section 3: Subscriber List</value></field>
              <field type='list-single' label='Maximum number of subscribers' var='maxsubs'>
                <value>20</value>
                <option label='10'><value>10</value></option>
                <option label='20'><value>20</value></option>
                <option label='30'><value>30</value></option>
                <option label='50'><value>50</value></option>
                <option label='100'><value>100</value></option>
                <option label='None'><value>none</value></option>
              </field>
              <field type='fixed'><value>Section 4: Invitations</value></field>
              <field type='jid-multi' label='People to invite' var='invitelist'>
                <desc>Tell all your friends about your new bot!</desc>
              </field>
            </x>""";

    @Test
    void readsTheBotCreationForm() {
        DataForm form = parse(BOT_FORM);
        assertThat(form.type()).isEqualTo(DataForm.Type.FORM);
        assertThat(form.title()).isEqualTo("Bot Configuration");
        assertThat(form.instructions()).containsExactly("Fill out this form to configure your new bot!");
        assertThat(form.fields()).hasSize(12);
        assertThat(form.formType()).isEqualTo("jabber:bot");
        assertThat(form.fields().get(1)).isEqualTo(Field.of(Field.Type.FIXED, null, "Section 1: Bot Info"));
        Field features = form.field("features");
        assertThat(features.type()).isEqualTo(Field.Type.LIST_MULTI);
        assertThat(features.label()).isEqualTo("What features will the bot support?");
        assertThat(features.values()).containsExactly("news", "search");
        assertThat(features.options()).hasSize(5).first().isEqualTo(new Field.Option("Contests", "contests"));
        assertThat(form.field("public").required()).isTrue();
        assertThat(form.field("botname").required()).isFalse();
        assertThat(form.field("invitelist").description()).isEqualTo("Tell all your friends about your new bot!");
        assertThat(form.value("maxsubs")).isEqualTo("20");
        assertThat(form.value("botname")).isNull();
    }

    @Test
    void writesWhatItReads() {
        DataForm form = parse(BOT_FORM);
        assertThat(DataForm.from(form.toElement())).isEqualTo(form);
    }

    /** XEP-0004 Example 3, "User Submits Bot Creation Form". */
    @Test
    void readsTheSubmittedForm() {
        DataForm form = parse("""
                <x xmlns='jabber:x:data' type='submit'>
                  <field type='hidden' var='FORM_TYPE'><value>jabber:bot</value></field>
                  <field type='text-single' var='botname'><value>The Jabber Google Bot</value></field>
                  <field type='text-multi' var='description'>
                    <value>This bot enables you to send requests to</value>
                    <value>Google and receive the search results right</value>
                    <value>in your Jabber client. It&apos; really cool!</value>
                    <value>It even supports Google News!</value>
                  </field>
                  <field type='boolean' var='public'><value>0</value></field>
                  <field type='text-private' var='password'><value>v3r0na</value></field>
                  <field type='list-multi' var='features'><value>news</value><value>search</value></field>
                  <field type='list-single' var='maxsubs'><value>50</value></field>
                  <field type='jid-multi' var='invitelist'>
                    <value>juliet@capulet.com</value>
                    <value>benvolio@montague.net</value>
                  </field>
                </x>""");
        assertThat(form.type()).isEqualTo(DataForm.Type.SUBMIT);
        assertThat(form.field("description").values()).hasSize(4).last().isEqualTo("It even supports Google News!");
        assertThat(form.field("description").values().get(2)).isEqualTo("in your Jabber client. It' really cool!");
        assertThat(form.field("invitelist").values()).containsExactly("juliet@capulet.com", "benvolio@montague.net");
        assertThat(form.value("password")).isEqualTo("v3r0na");
    }

    /** XEP-0004 Example 8, "Service Returns Search Results": reported fields and items. */
    @Test
    void readsAMultiItemResult() {
        DataForm form = parse("""
                <x xmlns='jabber:x:data' type='result'>
                  <title>Joogle Search: verona</title>
                  <reported><field var='name'/><field var='url'/></reported>
                  <item>
                    <field var='name'><value>Comune di Verona - Benvenuti nel sito ufficiale</value></field>
                    <field var='url'><value>http://www.comune.verona.it/</value></field>
                  </item>
                  <item>
                    <field var='name'><value>benvenuto!</value></field>
                    <field var='url'><value>http://www.hellasverona.it/</value></field>
                  </item>
                </x>""");
        assertThat(form.type()).isEqualTo(DataForm.Type.RESULT);
        assertThat(form.fields()).isEmpty();
        assertThat(form.reported()).extracting(Field::var).containsExactly("name", "url");
        assertThat(form.items()).hasSize(2);
        assertThat(form.items().get(1).fields().get(1).value()).isEqualTo("http://www.hellasverona.it/");
        assertThat(DataForm.from(form.toElement())).isEqualTo(form);
    }

    @Test
    void refusesWhatXep0004DoesNotAllow() {
        rejected("<x xmlns='jabber:x:data'><field var='a'/></x>"); // §3: type is required
        rejected("<x xmlns='jabber:x:data' type='draft'/>");
        rejected("<x xmlns='jabber:x:data' type='submit'><field><value>v</value></field></x>"); // §3.2: var
        rejected("<x xmlns='jabber:x:data' type='submit'><field var='a'/><field var='a'/></x>"); // unique var
        rejected("<x xmlns='jabber:x:data' type='form'><field var='a' type='list-single'>"
                + "<option label='two'><value>1</value><value>2</value></option></field></x>");
        rejected("<form xmlns='jabber:x:data' type='submit'/>");
    }

    @Test
    void anUnknownFieldTypeIsTextSingle() {
        // XEP-0004 §3.3: text-single "MUST be assumed if a form-submitting entity receives a field type it does not understand".
        DataForm form = parse("<x xmlns='jabber:x:data' type='form'><field var='when' type='date-time'/></x>");
        assertThat(form.field("when").type()).isEqualTo(Field.Type.TEXT_SINGLE);
    }

    /** XEP-0068 §4: FORM_TYPE names the context only when hidden; a submitted form may leave its type out (§4.4). */
    @Test
    void formTypeFollowsXep0068() {
        assertThat(parse("""
                <x xmlns="jabber:x:data" type="form">
                   <field var="FORM_TYPE" type="text-single"><value>http://jabber.org/protocol/shakespeare</value></field>
                </x>""").formType()).isNull();
        assertThat(parse("""
                <x xmlns='jabber:x:data' type='submit'>
                  <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#user</value></field>
                  <field var='muc#user_first'><value>Brunhilde</value></field>
                </x>""").formType()).isEqualTo("http://jabber.org/protocol/muc#user");
        assertThat(parse("<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'><value>x</value></field></x>")
                .formType()).isNull();
        assertThat(parse("<x xmlns='jabber:x:data' type='form'><field var='mascot' type='list-single'/></x>")
                .formType()).isNull();
    }

    @Test
    void buildsAFormWithItsFormType() {
        DataForm form = DataForm.of(DataForm.Type.SUBMIT, "http://jabber.org/protocol/pubsub#publish-options",
                Field.of("pubsub#access_model", "open"));
        assertThat(form.toElement()).isEqualTo(XmlStrings.parse("<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='pubsub#access_model'><value>open</value></field></x>"));
        assertThat(form.formType()).isEqualTo("http://jabber.org/protocol/pubsub#publish-options");
    }

    /** XEP-0128 Example 1: the extended information of an IM server's disco#info. */
    @Test
    void readsExtendedServiceDiscoveryInformation() {
        Element query = XmlStrings.parse("""
                <query xmlns='http://jabber.org/protocol/disco#info'>
                  <identity category='server' type='im' name='shakespeare.lit jabber server'/>
                  <feature var='jabber:iq:register'/>
                  <x xmlns='jabber:x:data' type='result'>
                    <field var='FORM_TYPE' type='hidden'><value>http://jabber.org/network/serverinfo</value></field>
                    <field var='c2s_port'><value>5222</value></field>
                    <field var='c2s_port_ssl'><value>5223</value></field>
                    <field var='http_access'><value>http://shakespeare.lit/jabber</value></field>
                    <field var='ip_version'><value>ipv4</value><value>ipv6</value></field>
                    <field var='info_url'><value>http://shakespeare.lit/support.php</value></field>
                  </x>
                </query>""");
        List<DataForm> forms = DataForm.in(query);
        assertThat(forms).hasSize(1);
        DataForm info = forms.get(0);
        assertThat(info.formType()).isEqualTo("http://jabber.org/network/serverinfo");
        assertThat(info.field("ip_version").values()).containsExactly("ipv4", "ipv6");
        assertThat(info.value("c2s_port")).isEqualTo("5222");
    }
}
