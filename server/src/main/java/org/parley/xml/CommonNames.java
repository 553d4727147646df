package org.parley.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLStreamException;

/**
 * Element and attribute names most clients send (RFC 6120/6121 stanzas, SASL, binding, stream
 * management, presence and chat extensions), fed once through a new factory so that its shared
 * symbol table knows them.
 *
 * <p>Why: each Aalto parser looks names up in a child of its factory's table and copies that
 * table (about 1 KB with the names it adds) on the first name the factory does not know yet;
 * names flow back to the factory only when a parser closes. A client's stream after SASL lives as
 * long as the connection, so without this every connection kept its own copy.
 */
final class CommonNames {
    private static final String DOCUMENT = """
            <stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' \
            xmlns:db='jabber:server:dialback' to='' from='' id='' version='' xml:lang=''>\
            <stream:features/><stream:error/>\
            <starttls/><proceed/><auth mechanism=''/><response/><challenge/><success/><failure/><abort/>\
            <mechanisms/><mechanism/><authenticate initial-response=''/><user-agent id=''/><software/><device/>\
            <iq type='' id='' to='' from=''><bind><resource/><jid/></bind><session/><query node='' ver=''/>\
            <ping/><time/><vCard/><PHOTO/><BINVAL/><TYPE/><FN/><NICKNAME/><blocklist/><block/><unblock/>\
            <enable/><disable/><pubsub/><publish/><publish-options/><items max_items=''/><retract notify=''/>\
            <subscribe/><unsubscribe/><options/><configure/><default/><affiliations/><subscriptions/>\
            <set/><first index=''/><last/><count/><max/><before/><after/><fin complete='' stable=''/>\
            <prefs always='' never=''/><always/><never/><register/><username/><password/><remove/>\
            <instructions/><title/><reported/><field var='' label=''/><value/><option/><required/>\
            <feature var=''/><identity category='' name=''/><storage/><conference autojoin='' password=''/>\
            <upload-slot/><request filename='' size='' content-type=''/><slot/><put url=''/><get url=''/><header/>\
            <error code='' by=''><bad-request/><conflict/><feature-not-implemented/><forbidden/><gone/>\
            <internal-server-error/><item-not-found/><jid-malformed/><not-acceptable/><not-allowed/>\
            <not-authorized/><policy-violation/><recipient-unavailable/><redirect/><registration-required/>\
            <remote-server-not-found/><remote-server-timeout/><resource-constraint/><service-unavailable/>\
            <subscription-required/><undefined-condition/><unexpected-request/><text/></error></iq>\
            <message type='' id='' to='' from='' xml:lang=''><body/><subject/><thread parent=''/>\
            <active/><inactive/><composing/><paused/><markable/><received/><displayed/><acknowledged/>\
            <request/><origin-id/><stanza-id/><store/><no-store/><no-copy/><no-permanent-store/>\
            <sent/><private/><forwarded/><delay stamp=''/><result queryid=''/><encrypted/><encryption namespace=''/>\
            <replace/><reactions/><reaction/><reference begin='' end='' uri=''/><x/><event/><data/>\
            <metadata/><info bytes='' height='' width=''/><nick/><invite/><reason/><continue/><oob/><url/><desc/>\
            <store-hint/><hint/><html/><attention/><fallback for=''/><reply to=''/><occupant-id/><addresses/><address/></message>\
            <presence type='' id='' to='' from=''><show/><status/><priority/><c hash='' node='' ver='' ext=''/>\
            <item jid='' name='' subscription='' ask='' approved='' affiliation='' role='' nick=''/><group/>\
            <x/><photo/><idle since=''/></presence>\
            <r/><a h=''/><enabled id='' resume='' max='' location=''/><resume h='' previd=''/>\
            <resumed h='' previd=''/><failed h=''/><sm/><csi/><ver/><sub/><push/>\
            </stream:stream>""";

    private CommonNames() {
    }

    /** Parses the names through {@code factory}; closing the parser merges them into its table. */
    static void teach(AsyncXMLInputFactory factory) {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> reader = factory.createAsyncForByteBuffer();
        try {
            reader.getInputFeeder().feedInput(ByteBuffer.wrap(DOCUMENT.getBytes(StandardCharsets.UTF_8)));
            reader.getInputFeeder().endOfInput();
            while (reader.hasNext()) {
                if (reader.next() == AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                    break;
                }
            }
            reader.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the common names document does not parse", e);
        }
    }
}
