package io.switchboard.core;

import java.util.HashSet;
import java.util.Set;

/**
 * A set of strings for the common case of one: empty, the one string itself, or a {@link HashSet}
 * once it holds two. A connection's channels are kept this way, so an idle connection with one
 * channel carries no hash table (a {@code HashSet} of one costs about 180 bytes). Not thread-safe.
 */
public final class SmallSet {

    /** null (empty), a String (one), or a {@code Set<String>} (two or more). */
    private Object items;

    /** Whether it holds {@code item}. */
    public boolean contains(String item) {
        return items instanceof String one ? one.equals(item) : items != null && asSet().contains(item);
    }

    /** Adds {@code item}; false when it was there already. */
    public boolean add(String item) {
        if (items == null) {
            items = item;
            return true;
        }
        if (items instanceof String one) {
            if (one.equals(item)) {
                return false;
            }
            Set<String> set = new HashSet<>();
            set.add(one);
            items = set;
        }
        return asSet().add(item);
    }

    /** Removes {@code item}; false when it was not there. */
    public boolean remove(String item) {
        if (items instanceof String one) {
            if (one.equals(item)) {
                items = null;
                return true;
            }
            return false;
        }
        if (items == null || !asSet().remove(item)) {
            return false;
        }
        if (asSet().size() == 1) {
            items = asSet().iterator().next();
        }
        return true;
    }

    /** How many it holds. */
    public int size() {
        return items == null ? 0 : items instanceof String ? 1 : asSet().size();
    }

    /** Whether it holds none. */
    public boolean isEmpty() {
        return items == null;
    }

    @SuppressWarnings("unchecked")
    private Set<String> asSet() {
        return (Set<String>) items;
    }
}
