package org.parley.feature.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parley.config.Option;
import org.parley.module.Identity;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.ServiceDomain;
import org.parley.route.IqRequest;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/** HTTP File Upload (XEP-0363): see the package documentation. */
public final class UploadModule implements Module {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UploadModule.class);

    public static final Option<String> DOMAIN = Option.domain("domain", null,
            "the upload service's domain").documentedAs("`upload.<domain>`");
    public static final Option<Integer> MAX_FILE_SIZE = Option.integer("maxFileSize", 100 << 20, 1, Integer.MAX_VALUE,
            "largest file in bytes; a larger request gets file-too-large with this limit");
    public static final Option<Integer> USER_QUOTA_MB = Option.integer("userQuotaMb", 1024, 1, 1 << 30,
            "MiB of files (and open slots) one account may hold; more gets resource-constraint");
    public static final Option<Duration> EXPIRE_AFTER = Option.duration("expireAfter", Duration.ofDays(7),
            Duration.ZERO, Duration.ofDays(3650), "uploaded files are deleted this long after their upload (0s = kept)");
    public static final Option<Duration> SLOT_TIMEOUT = Option.duration("slotTimeout", Duration.ofMinutes(5),
            Duration.ofSeconds(1), Duration.ofDays(1), "a slot's PUT URL is valid this long after the slot was given");
    static final String ROUTE = "/upload";
    private static final QName REQUEST = new QName(SlotRequest.NAMESPACE, SlotRequest.ELEMENT);
    private static final int SWEEP_BATCH = 500;

    private final SecureRandom random = new SecureRandom();
    private volatile BlobStore blobs;
    private UploadStore store;
    private Clock clock;
    private long maxFileSize;
    private long quotaBytes;
    private Duration slotTimeout;
    private Duration expireAfter;
    private ModuleContext ctx;

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(DOMAIN, MAX_FILE_SIZE, USER_QUOTA_MB, EXPIRE_AFTER, SLOT_TIMEOUT);
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlUploadStore(database);
        database.onAccountRemoved((c, username) -> {
            List<String> ids = SqlUploadStore.removeOwner(c, username);
            BlobStore b = blobs; // null where the server is not running (the command line): the files stay
            if (b != null) {
                for (String id : ids) {
                    deleteBlob(b, id);
                }
            }
        });
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        clock = context.clock();
        maxFileSize = context.option(MAX_FILE_SIZE);
        quotaBytes = (long) context.option(USER_QUOTA_MB) << 20;
        slotTimeout = context.option(SLOT_TIMEOUT);
        expireAfter = context.option(EXPIRE_AFTER);
        try {
            blobs = new FileBlobStore(context.dataDir().resolve("uploads"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload directory", e);
        }
        String domain = context.option(DOMAIN) != null ? context.option(DOMAIN) : "upload." + context.serverJid().domain();
        ServiceDomain service = context.serviceDomain(domain, s -> {
            throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE, "the upload service answers slot requests only");
        });
        service.identity(new Identity("store", "file", "HTTP File Upload"));
        service.feature(SlotRequest.NAMESPACE);
        service.extendedInfo(DataForm.of(DataForm.Type.RESULT, SlotRequest.NAMESPACE,
                Field.of("max-file-size", Long.toString(maxFileSize))).toElement());
        service.iqGet(REQUEST, this::slot);
        new UploadHttp(store, () -> blobs, clock, slotTimeout).install(context.http(), maxFileSize);
        long every = Math.max(1, Math.min(slotTimeout.toSeconds(), 3600));
        context.scheduler().scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.SECONDS);
    }

    /** XEP-0363 §4: a slot for a local account's file within the limits. */
    private Element slot(IqRequest request) {
        Jid from = request.from();
        if (from == null || from.local() == null || !from.domain().equals(ctx.serverJid().domain())) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only this server's accounts may upload");
        }
        SlotRequest req = SlotRequest.from(request.payload());
        if (req.size() > maxFileSize) {
            throw new StanzaErrorException(new StanzaError(Condition.NOT_ACCEPTABLE, StanzaError.Type.MODIFY,
                    "File too large. The maximum file size is " + maxFileSize + " bytes")
                    .withApplication(SlotRequest.fileTooLarge(maxFileSize)));
        }
        String id = newId();
        Upload slot = new Upload(id, from.local(), req.filename(), req.size(), req.contentType(), clock.instant(), null);
        if (!store.add(slot, quotaBytes)) {
            throw new StanzaErrorException(new StanzaError(Condition.RESOURCE_CONSTRAINT, StanzaError.Type.WAIT,
                    "Quota reached: your files may take " + (quotaBytes >> 20) + " MiB"));
        }
        String url = ctx.http().publicUrl(ROUTE + "/" + id + "/" + encode(req.filename())).toString();
        return SlotRequest.slot(url, url);
    }

    /** 128 random bits, URL-safe: the slot's id and the unguessable part of its URLs. */
    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A path segment: RFC 3986 percent-encoding (a space is %20, not '+'). */
    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Deletes expired files and slots never used. */
    void sweep() {
        try {
            Instant now = clock.instant();
            Instant filesBefore = expireAfter.isZero() ? Instant.EPOCH : now.minus(expireAfter);
            List<String> ids;
            do {
                ids = store.expired(filesBefore, now.minus(slotTimeout), SWEEP_BATCH);
                for (String id : ids) {
                    deleteBlob(blobs, id);
                    store.remove(id);
                }
            } while (ids.size() == SWEEP_BATCH);
        } catch (RuntimeException e) { // a store outage among them: the next sweep retries
            log.warn("upload expiry failed, retried later: {}", e.getMessage());
        }
    }

    private static void deleteBlob(BlobStore b, String id) {
        try {
            b.delete(id);
        } catch (IOException e) {
            log.warn("upload {} not deleted: {}", id, e.getMessage());
        }
    }
}
