/**
 * Exact-value lookup for signals compared by equality (md5, sha256, text_sha256, url, domain):
 * canonical value → ids. Ids are consecutive from 0, as in the PDQ index.
 */
export class ExactIndex {
    byValue = new Map();
    values = [];
    live = 0;
    get size() {
        return this.live;
    }
    add(value) {
        const id = this.values.length;
        this.values.push(value);
        const ids = this.byValue.get(value);
        if (ids)
            ids.push(id);
        else
            this.byValue.set(value, [id]);
        this.live++;
        return id;
    }
    remove(id) {
        const value = this.values[id];
        if (value === undefined)
            return false;
        this.values[id] = undefined;
        const ids = (this.byValue.get(value) ?? []).filter((other) => other !== id);
        if (ids.length > 0)
            this.byValue.set(value, ids);
        else
            this.byValue.delete(value);
        this.live--;
        return true;
    }
    valueOf(id) {
        return this.values[id] ?? null;
    }
    /** Ids holding exactly this (canonical) value, oldest first. */
    query(value) {
        return this.byValue.get(value) ?? [];
    }
}
