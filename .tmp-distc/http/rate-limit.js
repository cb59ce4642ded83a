import { rateLimited } from "../core/errors.js";
export class RateLimiter {
    buckets = new Map();
    /** Takes one token from the bucket `key` refilled at `perMinute`, or throws a 429. */
    take(key, perMinute, nowMs, what) {
        const rate = perMinute / 60_000;
        const bucket = this.buckets.get(key) ?? { tokens: perMinute, at: nowMs };
        bucket.tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.at) * rate);
        bucket.at = nowMs;
        if (bucket.tokens < 1) {
            this.buckets.set(key, bucket);
            throw rateLimited(`${what} is over its limit of ${perMinute} requests a minute`, Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)));
        }
        bucket.tokens -= 1;
        this.buckets.set(key, bucket);
        // Forget full buckets now and then, so the map does not grow without bound.
        if (this.buckets.size > 100_000)
            this.sweep(nowMs);
    }
    sweep(nowMs) {
        for (const [key, bucket] of this.buckets)
            if (nowMs - bucket.at > 120_000)
                this.buckets.delete(key);
    }
}
