package org.parley.feature.pep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;
import org.parley.xmpp.forms.Field.Type;

/**
 * A node's configuration (XEP-0060 §16.4.3 fields) as stored: field name to normalised value.
 * The fields Parley acts on are validated and normalised; other {@code pubsub#} fields are kept
 * as given, so publish-options can still compare them.
 */
final class NodeConfig {
    static final String ACCESS_MODEL = "pubsub#access_model";
    static final String PERSIST_ITEMS = "pubsub#persist_items";
    static final String MAX_ITEMS = "pubsub#max_items";
    static final String SEND_LAST = "pubsub#send_last_published_item";
    static final String NOTIFY_RETRACT = "pubsub#notify_retract";
    static final String MAX = "max";

    static final List<String> ACCESS_MODELS = List.of("open", "presence", "whitelist");
    static final List<String> SEND_LAST_VALUES = List.of("never", "on_sub", "on_sub_and_presence");
    private static final Set<String> BOOLEANS = Set.of(PERSIST_ITEMS, NOTIFY_RETRACT);

    private NodeConfig() {
    }

    /** PEP defaults (XEP-0163 §4.4): presence access, the newest item kept and sent to new resources. */
    static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ACCESS_MODEL, "presence");
        m.put(PERSIST_ITEMS, "true");
        m.put(MAX_ITEMS, "1");
        m.put(SEND_LAST, "on_sub_and_presence");
        m.put(NOTIFY_RETRACT, "true");
        return m;
    }

    /** Thrown for a value Parley cannot accept; the caller picks the error. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The first value of each field of a submitted form but FORM_TYPE, trimmed, "" for none. */
    static Map<String, String> submitted(DataForm form) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Field f : form.fields()) {
            if (f.var() != null && !f.var().equals(DataForm.FORM_TYPE)) {
                m.put(f.var(), f.value() == null ? "" : f.value().trim());
            }
        }
        return m;
    }

    /**
     * {@code base} with the submitted fields applied.
     *
     * @param limit pep.maxItemsPerNode: 'max' means this, more is refused
     */
    static Map<String, String> apply(Map<String, String> base, Map<String, String> submitted, int limit) throws Invalid {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (Map.Entry<String, String> e : submitted.entrySet()) {
            m.put(e.getKey(), normalise(e.getKey(), e.getValue(), limit));
        }
        return m;
    }

    static String normalise(String field, String value, int limit) throws Invalid {
        if (BOOLEANS.contains(field)) {
            return switch (value) {
                case "1", "true" -> "true";
                case "0", "false" -> "false";
                default -> throw new Invalid(field + " must be a boolean, got \"" + value + "\"");
            };
        }
        return switch (field) {
            case ACCESS_MODEL -> {
                if (!ACCESS_MODELS.contains(value)) {
                    throw new Invalid("unsupported access model \"" + value + "\"");
                }
                yield value;
            }
            case SEND_LAST -> {
                if (!SEND_LAST_VALUES.contains(value)) {
                    throw new Invalid("unsupported " + SEND_LAST + " \"" + value + "\"");
                }
                yield value;
            }
            case MAX_ITEMS -> {
                if (value.equals(MAX)) {
                    yield MAX;
                }
                int n;
                try {
                    n = Integer.parseInt(value);
                } catch (NumberFormatException ex) {
                    throw new Invalid(MAX_ITEMS + " must be a number or 'max', got \"" + value + "\"");
                }
                if (n < 1 || n > limit) {
                    throw new Invalid(MAX_ITEMS + " must be from 1 to " + limit + " (pep.maxItemsPerNode)");
                }
                yield Integer.toString(n);
            }
            default -> value;
        };
    }

    /** XEP-0223 §4: whether every publish-option matches the node's configuration ('max' equals the limit). */
    static boolean satisfies(Map<String, String> config, Map<String, String> options, int limit) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            String field = e.getKey();
            String wanted;
            try {
                wanted = normalise(field, e.getValue(), limit);
            } catch (Invalid ex) {
                return false;
            }
            String have = config.get(field);
            if (field.equals(MAX_ITEMS)) {
                if (have == null || maxItems(config, limit) != maxItems(Map.of(MAX_ITEMS, wanted), limit)) {
                    return false;
                }
            } else if (!wanted.equals(have)) {
                return false;
            }
        }
        return true;
    }

    static String accessModel(Map<String, String> config) {
        return config.getOrDefault(ACCESS_MODEL, "presence");
    }

    static int maxItems(Map<String, String> config, int limit) {
        String v = config.getOrDefault(MAX_ITEMS, "1");
        return v.equals(MAX) ? limit : Math.min(limit, Integer.parseInt(v));
    }

    /** How many items the store keeps: none for a transient node. */
    static int storedItems(Map<String, String> config, int limit) {
        return "false".equals(config.get(PERSIST_ITEMS)) ? 0 : maxItems(config, limit);
    }

    static boolean sendsLast(Map<String, String> config) {
        return !"never".equals(config.getOrDefault(SEND_LAST, "on_sub_and_presence"));
    }

    static boolean notifiesRetract(Map<String, String> config) {
        return !"false".equals(config.get(NOTIFY_RETRACT));
    }

    /** The configuration form (§8.2.1); max_items as a number, which every client parses. */
    static DataForm form(Map<String, String> config, int limit) {
        List<Field> fields = new ArrayList<>();
        fields.add(Field.of(Type.LIST_SINGLE, ACCESS_MODEL, accessModel(config)).withOptions(options(ACCESS_MODELS)));
        fields.add(Field.of(Type.BOOLEAN, PERSIST_ITEMS, config.getOrDefault(PERSIST_ITEMS, "true")));
        fields.add(Field.of(Type.TEXT_SINGLE, MAX_ITEMS, Integer.toString(maxItems(config, limit))));
        fields.add(Field.of(Type.LIST_SINGLE, SEND_LAST, config.getOrDefault(SEND_LAST, "on_sub_and_presence"))
                .withOptions(options(SEND_LAST_VALUES)));
        fields.add(Field.of(Type.BOOLEAN, NOTIFY_RETRACT, notifiesRetract(config) ? "true" : "false"));
        return DataForm.of(DataForm.Type.FORM, PubSub.NODE_CONFIG, fields);
    }

    private static List<Field.Option> options(List<String> values) {
        return values.stream().map(Field.Option::new).toList();
    }
}
